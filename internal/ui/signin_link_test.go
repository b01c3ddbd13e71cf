package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ledgerline/ledgerline/internal/domain"
)

// Issue 12: when the browser did not open, the window waited with no way
// forward; now the waiting line has the link to copy.
func TestSignInLink(t *testing.T) {
	const link = "https://broker.example.com/oauth/authorize?client_id=ledgerline-desktop&state=abc"
	t.Run("the waiting page shows the sign-in's link and copies it", func(t *testing.T) {
		src := &fakeSource{}
		conn := &fakeConnector{source: src, connect: func(ctx context.Context) (domain.Connection, error) {
			<-ctx.Done()
			return domain.Connection{}, domain.ErrCanceled
		}}
		u, loop := newTestUI(t, src, conn)
		u.Go(routeStripe)
		p := u.stripePage()
		if p.link.box.Visible() {
			t.Fatal("the link shows before any sign-in")
		}
		test.Tap(p.connect)
		u.SignInLink(link) // what the window's OpenURL does, from the sign-in's goroutine
		loop.until(t, "the link shows", func() bool { return p.link.box.Visible() })
		if p.link.url.Text != link {
			t.Fatalf("the field shows %q", p.link.url.Text)
		}
		test.Tap(p.link.copy)
		if got := fyne.CurrentApp().Clipboard().Content(); got != link {
			t.Fatalf("clipboard holds %q", got)
		}
		if p.link.copy.Text != "Link copied" {
			t.Errorf("the button says %q", p.link.copy.Text)
		}

		// A page built again (another page and back, a language switch) still shows it.
		u.Go(routeConnections)
		u.Go(routeStripe)
		if q := u.stripePage(); !q.link.box.Visible() || q.link.url.Text != link {
			t.Fatal("the rebuilt page lost the link")
		}
		test.Tap(u.stripePage().cancel)
		loop.until(t, "the sign-in ends", func() bool { return u.signIn.stop == nil })
		if u.stripePage().link.box.Visible() || u.signIn.link != "" {
			t.Fatal("the link outlived its sign-in")
		}
	})

	t.Run("a re-authentication's waiting message has the link, which copies it", func(t *testing.T) {
		src := &fakeSource{rows: threeConnections()}
		wait := make(chan struct{})
		conn := &fakeConnector{source: src, reauthWait: wait}
		u, loop := newTestUI(t, src, conn)
		u.openConnection(src.rows[1], "")
		u.Reauthenticate(src.rows[1])
		u.SignInLink(link)
		loop.until(t, "the link in the message", func() bool { return strings.Contains(u.banner.Text(), "Browser didn't open?") })
		if txt := u.banner.Text(); !strings.Contains(txt, src.rows[1].Name) || !strings.Contains(txt, "Copy the link") {
			t.Fatalf("banner says %q", txt)
		}
		var seg *widget.HyperlinkSegment
		for _, s := range u.banner.text.Segments {
			if h, ok := s.(*widget.HyperlinkSegment); ok {
				seg = h
			}
		}
		if seg == nil {
			t.Fatal("no link to tap")
		}
		seg.OnTapped()
		if got := fyne.CurrentApp().Clipboard().Content(); got != link {
			t.Fatalf("clipboard holds %q", got)
		}
		if !strings.Contains(u.banner.Text(), "Link copied") {
			t.Errorf("banner says %q after copying", u.banner.Text())
		}
		close(wait)
		loop.until(t, "the re-authentication ends", func() bool { return !u.reauthRunning })
	})
}
