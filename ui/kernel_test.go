package ui

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"finwait/kernel"
)

// kernelUsable says whether this machine can run the kernel comparison.
func kernelUsable(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("skipping: the kernel comparison needs Linux")
	}
	if _, err := os.ReadFile("/proc/net/tcp"); err != nil {
		t.Skipf("skipping: /proc/net/tcp is unreadable (%v)", err)
	}
}

func TestKernelPanel(t *testing.T) {
	m := open(t, "half-close", 100, 30)
	m.Update(keyMsg("v"))
	kp, _ := m.top().(*kernelPane)
	if kp == nil || !strings.Contains(screen(m), "Running half-close") {
		t.Fatalf("v should open the kernel panel on the current scenario and say it is running:\n%s", screen(m))
	}
	// The comparison itself needs Linux; elsewhere the panel shows why not.
	text := "finwait engine agrees: half-close"
	if runtime.GOOS != "linux" {
		text = kernel.ErrNotLinux.Text("en")
	}
	m.Update(kernelDoneMsg{gen: kp.gen, text: text})
	if s := screen(m); !strings.Contains(s, text) {
		t.Errorf("the panel does not show the result:\n%s", s)
	}
	m.Update(kernelDoneMsg{gen: kp.gen - 1, text: "stale"})
	if strings.Contains(screen(m), "stale") {
		t.Error("a result from an earlier run replaced the current one")
	}
	m.Update(keyMsg("esc"))
	if m.top() != nil {
		t.Error("esc should close the kernel panel")
	}
	// A scenario the kernel cannot run falls back to the plain close.
	m = open(t, "lost-final-ack", 100, 30)
	m.Update(keyMsg("v"))
	if kp, _ := m.top().(*kernelPane); kp == nil || kp.scenario != "close" {
		t.Errorf("lost-final-ack was not compared as close: %+v", kp)
	}
}

func TestKernelPanelRealRun(t *testing.T) {
	kernelUsable(t)
	m := open(t, "close", 100, 30)
	_, cmd := m.Update(keyMsg("v"))
	m.Update(runCmds(cmd))
	s := screen(m)
	kp := m.top().(*kernelPane)
	for _, want := range []string{"side by side: close", "The engine agrees", "tcp_tw_reuse"} {
		if !strings.Contains(s+strings.Join(kp.lines, "\n"), want) {
			t.Errorf("panel lacks %q:\n%s", want, s)
		}
	}
}
