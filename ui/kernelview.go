package ui

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/kernel"
)

// kernelPanel shows a real close on this machine's loopback next to the
// engine's run of the same scenario (package kernel does the work).
type kernelPanel struct {
	scenario string
	running  bool
	gen      int      // a result of another generation is stale
	text     string   // the report, unwrapped; "" until the first run ends
	lines    []string // text wrapped to the width it was last drawn at
	wrapW    int
	off      int // first line shown
}

// kernelDoneMsg carries a finished comparison back to Update.
type kernelDoneMsg struct {
	gen  int
	text string
}

// kernelScenario is the scenario the panel compares: the one on screen
// when the kernel can run it, else the plain close.
func (m *Model) kernelScenario() string {
	if slices.Contains(kernel.Scenarios(), m.sc.Name) {
		return m.sc.Name
	}
	return "close"
}

// openKernel shows the panel and starts a comparison. The kernel run takes
// real time (sockets on 127.0.0.1, up to a few seconds for keepalive), so
// it runs as a command and the panel says so meanwhile.
func (m *Model) openKernel() tea.Cmd {
	m.mode = modeKernel
	kp := &m.kernel
	kp.scenario = m.kernelScenario()
	kp.running = true
	kp.gen++
	kp.off = 0
	gen, name, lang := kp.gen, kp.scenario, m.lang
	return func() tea.Msg {
		var b bytes.Buffer
		r, err := kernel.Compare(name)
		if err != nil {
			var ke *kernel.Error
			if errors.As(err, &ke) {
				return kernelDoneMsg{gen: gen, text: ke.Text(lang)}
			}
			return kernelDoneMsg{gen: gen, text: err.Error()}
		}
		kernel.WriteReport(&b, r, nil, -1, lang)
		tw, err := kernel.CountTimeWait()
		if err != nil {
			tw = -1
		}
		kernel.WriteReport(&b, nil, kernel.Sysctls(), tw, lang)
		return kernelDoneMsg{gen: gen, text: b.String()}
	}
}

func (m *Model) kernelDone(msg kernelDoneMsg) {
	kp := &m.kernel
	if msg.gen != kp.gen {
		return
	}
	kp.running = false
	kp.text = strings.TrimRight(msg.text, "\n")
	kp.wrapW = 0
}

func (m *Model) kernelKey(msg tea.KeyPressMsg) tea.Cmd {
	kp := &m.kernel
	k := &m.keys
	page := max(1, m.h-6)
	switch {
	case key.Matches(msg, k.Quit) && msg.String() == "ctrl+c":
		return tea.Quit
	case key.Matches(msg, k.Cancel, k.Kernel, k.Quit):
		m.mode = modeMain
	case key.Matches(msg, k.Enter):
		if !kp.running {
			return m.openKernel()
		}
	case key.Matches(msg, k.Up):
		kp.off = max(0, kp.off-1)
	case key.Matches(msg, k.Down):
		kp.off++
	case key.Matches(msg, k.ScrollUp):
		kp.off = max(0, kp.off-page)
	case key.Matches(msg, k.ScrollDown):
		kp.off += page
	}
	return nil
}

// kernelView is the panel in h rows.
func (m *Model) kernelView(h int) []string {
	kp := &m.kernel
	st := &m.st
	out := []string{" " + st.bold.Render(m.cat.T("ui.kernel.title", "scenario", kp.scenario))}
	if kp.running {
		out = append(out, "", " "+m.cat.T("ui.kernel.running", "scenario", kp.scenario))
		return block(out, m.w, h)
	}
	if kp.wrapW != m.w {
		kp.lines = kp.lines[:0]
		for _, l := range strings.Split(kp.text, "\n") {
			kp.lines = append(kp.lines, hangWrap(l, m.w-2)...)
		}
		kp.wrapW = m.w
	}
	body := h - 3
	kp.off = min(kp.off, max(0, len(kp.lines)-body))
	for _, l := range kp.lines[kp.off:min(len(kp.lines), kp.off+body)] {
		out = append(out, " "+l)
	}
	out = block(out, m.w, h-1)
	return append(out, " "+st.dim.Render(m.cat.T("ui.kernel.keys")))
}

// hangWrap wraps an indented line (a table row of the report) to w cells,
// indenting its continuation lines further so the rows stay readable.
func hangWrap(l string, w int) []string {
	ind := len(l) - len(strings.TrimLeft(l, " "))
	lines := wrap(l, w, 1<<20)
	if ind == 0 || len(lines) == 1 {
		return lines
	}
	pre := strings.Repeat(" ", ind+10)
	rest := strings.TrimSpace(strings.TrimPrefix(l, strings.TrimRight(lines[0], " ")))
	out := []string{lines[0]}
	for _, r := range wrap(rest, max(10, w-len(pre)), 1<<20) {
		out = append(out, pre+r)
	}
	return out
}
