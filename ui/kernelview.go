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

// kernelPane shows a real close on this machine's loopback next to the
// engine's run of the same scenario (package kernel does the work).
type kernelPane struct {
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

// newKernelPane compares the scenario on screen when the kernel can run
// it, else the plain close.
func newKernelPane(scenario string) *kernelPane {
	if !slices.Contains(kernel.Scenarios(), scenario) {
		scenario = "close"
	}
	return &kernelPane{scenario: scenario}
}

// start runs a comparison. The kernel run takes real time (sockets on
// 127.0.0.1, up to a few seconds for keepalive), so it runs as a command
// and the panel says so meanwhile.
func (kp *kernelPane) start(cx *ctx) tea.Cmd {
	kp.running = true
	cx.gen++ // a result that arrives after its panel closed is not shown
	kp.gen = cx.gen
	kp.off = 0
	gen, name, lang := kp.gen, kp.scenario, cx.lang
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

// done takes a finished comparison.
func (kp *kernelPane) done(msg kernelDoneMsg) {
	if msg.gen != kp.gen {
		return
	}
	kp.running = false
	kp.text = strings.TrimRight(msg.text, "\n")
	kp.wrapW = 0
}

func (kp *kernelPane) Hints(cx *ctx) []key.Binding {
	return []key.Binding{cx.keys.Up, cx.keys.Down, cx.keys.Cancel}
}

func (kp *kernelPane) Update(cx *ctx, msg tea.KeyPressMsg) (pane, tea.Cmd) {
	k := &cx.keys
	page := max(1, cx.h-6)
	switch {
	case key.Matches(msg, k.Cancel, k.Kernel, k.Quit):
		return nil, nil
	case key.Matches(msg, k.Enter):
		if !kp.running {
			return kp, kp.start(cx)
		}
	case key.Matches(msg, k.Up):
		kp.off--
	case key.Matches(msg, k.Down):
		kp.off++
	case key.Matches(msg, k.ScrollUp):
		kp.off -= page
	case key.Matches(msg, k.ScrollDown):
		kp.off += page
	}
	kp.wrap(cx.w)
	kp.off = max(0, min(kp.off, len(kp.lines)-(cx.h-3-3)))
	return kp, nil
}

// wrap lays the report out for width w.
func (kp *kernelPane) wrap(w int) {
	if kp.wrapW == w {
		return
	}
	kp.lines = kp.lines[:0]
	for _, l := range strings.Split(kp.text, "\n") {
		kp.lines = append(kp.lines, hangWrap(l, w-2)...)
	}
	kp.wrapW = w
}

// View is the panel in h rows.
func (kp *kernelPane) View(cx *ctx, h int) []string {
	st := &cx.st
	out := []string{" " + st.bold.Render(cx.cat.T("ui.kernel.title", "scenario", kp.scenario))}
	if kp.running {
		out = append(out, "", " "+cx.cat.T("ui.kernel.running", "scenario", kp.scenario))
		return block(out, cx.w, h)
	}
	kp.wrap(cx.w)
	body := h - 3
	off := max(0, min(kp.off, len(kp.lines)-body))
	for _, l := range kp.lines[off:min(len(kp.lines), off+body)] {
		out = append(out, " "+l)
	}
	out = block(out, cx.w, h-1)
	return append(out, " "+st.dim.Render(cx.cat.T("ui.kernel.keys")))
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
