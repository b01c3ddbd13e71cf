package syncer

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSplitPage(t *testing.T) {
	t.Run("finds each object's bytes, has_more and object, whatever the key order and spacing", func(t *testing.T) {
		body := ` { "url": "/v1/charges", "has_more" : true, "data": [ {"id":"ch_1","s":"a \"}] quoted","n":[1,{"x":2}]} ,{"id":"ch_2","z":null}],
			"object":"list" } `
		p, err := splitPage([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if p.Object != "list" || !p.HasMore || len(p.Data) != 2 {
			t.Fatalf("page = %+v", p)
		}
		for i, want := range []string{`{"id":"ch_1","s":"a \"}] quoted","n":[1,{"x":2}]}`, `{"id":"ch_2","z":null}`} {
			if string(p.Data[i]) != want {
				t.Errorf("object %d = %s, want %s", i, p.Data[i], want)
			}
			if !json.Valid(p.Data[i]) {
				t.Errorf("object %d is not valid JSON", i)
			}
		}
	})

	t.Run("an empty list is a list without objects", func(t *testing.T) {
		p, err := splitPage([]byte(`{"object":"list","data":[],"has_more":false}`))
		if err != nil || p.Data == nil || len(p.Data) != 0 || p.HasMore {
			t.Errorf("page = %+v, %v", p, err)
		}
	})

	for name, body := range map[string]string{
		"cut in half":           `{"object":"list","data":[{"id":"ch_1","x":"abc`,
		"an unclosed array":     `{"object":"list","data":[{"id":"ch_1"}`,
		"trailing garbage":      `{"object":"list","data":[]} x`,
		"an HTML page":          `<html><body>Sign in to the Wi-Fi</body></html>`,
		"has_more not a bool":   `{"object":"list","data":[],"has_more":"yes"}`,
		"a missing colon":       `{"object" "list"}`,
		"empty":                 ``,
		"an array, not a page":  `[{"id":"ch_1"}]`,
		"a key without a value": `{"object":"list","data":}`,
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			if p, err := splitPage([]byte(body)); err == nil {
				t.Errorf("accepted: %+v", p)
			}
		})
	}

	t.Run("agrees with encoding/json on a real-looking page", func(t *testing.T) {
		var objs []string
		for i := range 50 {
			objs = append(objs, `{"id":"ch_`+strings.Repeat("x", i)+`","amount":`+strings.Repeat("9", i%7+1)+`,"meta":{"k":"v\\n"},"list":[true,false,null]}`)
		}
		body := `{"object":"list","data":[` + strings.Join(objs, ",\n") + `],"has_more":false,"url":"/v1/charges"}`
		p, err := splitPage([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		var want struct{ Data []json.RawMessage }
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		if len(p.Data) != len(want.Data) {
			t.Fatalf("%d objects, encoding/json finds %d", len(p.Data), len(want.Data))
		}
		for i := range want.Data {
			if string(p.Data[i]) != string(want.Data[i]) {
				t.Errorf("object %d differs:\n%s\n%s", i, p.Data[i], want.Data[i])
			}
		}
	})
}

func FuzzSplitPage(f *testing.F) {
	f.Add([]byte(`{"object":"list","data":[{"id":"a"}],"has_more":true}`))
	f.Add([]byte(`{"data":[1,"x",[],{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := splitPage(body)
		if err != nil {
			return
		}
		// Whatever it accepts, each span lies inside the body.
		for _, d := range p.Data {
			if len(d) == 0 || !strings.Contains(string(body), string(d)) {
				t.Fatalf("span %q is not part of the body", d)
			}
		}
	})
}
