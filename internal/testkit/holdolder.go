package testkit

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// HoldOlder is an http.RoundTripper for a sync that stops part way: it
// holds back every list request that reaches below Cutoff (unix seconds) —
// a created[lt] at or below it, or a starting_after cursor at an object
// created before it — until Release, and passes the rest to Base (default
// http.DefaultTransport). So the newest objects are stored and older ones
// wait, as in a first sync that has not got far yet. It learns objects'
// created times from the pages it passes.
type HoldOlder struct {
	Base   http.RoundTripper
	Cutoff int64

	once    sync.Once
	release chan struct{}
	mu      sync.Mutex
	created map[string]int64
	held    int
}

func (h *HoldOlder) init() {
	h.once.Do(func() {
		h.release = make(chan struct{})
		h.created = map[string]int64{}
		if h.Base == nil {
			h.Base = http.DefaultTransport
		}
	})
}

// Release lets every held request and all later ones through.
func (h *HoldOlder) Release() {
	h.init()
	close(h.release)
}

// Held counts the requests held back so far.
func (h *HoldOlder) Held() int {
	h.init()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}

// RoundTrip holds req while it reaches below the cutoff, then sends it.
func (h *HoldOlder) RoundTrip(req *http.Request) (*http.Response, error) {
	h.init()
	q := req.URL.Query()
	below := false
	if lt := q.Get("created[lt]"); lt != "" {
		v, _ := strconv.ParseInt(lt, 10, 64)
		below = v <= h.Cutoff
	}
	h.mu.Lock()
	if c, ok := h.created[q.Get("starting_after")]; ok && c < h.Cutoff {
		below = true
	}
	if below {
		h.held++
	}
	h.mu.Unlock()
	if below {
		select {
		case <-h.release:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	resp, err := h.Base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var page struct {
		Data []struct {
			ID      string `json:"id"`
			Created int64  `json:"created"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &page) == nil {
		h.mu.Lock()
		for _, o := range page.Data {
			h.created[o.ID] = o.Created
		}
		h.mu.Unlock()
	}
	return resp, nil
}
