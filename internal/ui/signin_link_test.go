package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
}
