package benchkit

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Xvfb is a running virtual screen.
type Xvfb struct {
	Display string // ":99"
	cmd     *exec.Cmd
}

// StartXvfb starts Xvfb on the first free display, which it writes to
// -displayfd.
func StartXvfb() (*Xvfb, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting Xvfb: %w", err)
	}
	w.Close()
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	x := &Xvfb{cmd: cmd}
	select {
	case n := <-got:
		if _, err := strconv.Atoi(n); err != nil {
			x.Stop()
			return nil, errors.New("Xvfb did not start")
		}
		x.Display = ":" + n
		return x, nil
	case <-time.After(15 * time.Second):
		x.Stop()
		return nil, errors.New("Xvfb did not say which display it took within 15 s")
	}
}

// Stop ends Xvfb.
func (x *Xvfb) Stop() {
	_ = x.cmd.Process.Signal(syscall.SIGTERM)
	_ = x.cmd.Wait()
}
