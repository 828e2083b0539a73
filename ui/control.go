package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"finwait/model"
)

// mainKey handles a key of the main screen: the classroom's keys first
// (a following student may not drive the run), then the lesson's, the
// panes' own, then the run's.
func (m *Model) mainKey(msg tea.KeyPressMsg) tea.Cmd {
	m.msg = ""
	if cmd, ok := m.followKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.lessonKey(msg); ok {
		return cmd
	}
	if m.lesson.Update(&m.ctx, msg) || m.ladder.Update(&m.ctx, msg) {
		return nil
	}
	defer m.noteArrival()
	return m.runKey(msg)
}

// runKey handles the keys that drive the run and open the panes.
func (m *Model) runKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Play):
		return m.togglePlay()
	case key.Matches(msg, k.Forward):
		m.stop()
		if !m.run.StepOne() {
			m.say("ui.msg.end", false)
		}
		m.ladder.off = 0
	case key.Matches(msg, k.Back):
		m.stop()
		if p := m.sim().Pos(); p > 0 {
			m.run.Rewind(p - 1)
		}
		m.ladder.off = 0
	case key.Matches(msg, k.Start):
		m.stop()
		m.run.Rewind(0)
		m.ladder.off = 0
	case key.Matches(msg, k.Faster):
		m.clock.speed = min(m.clock.speed+1, len(speeds)-1)
	case key.Matches(msg, k.Slower):
		m.clock.speed = max(m.clock.speed-1, 0)
	case key.Matches(msg, k.Skip):
		return m.startSkip()
	case key.Matches(msg, k.NextSeg, k.PrevSeg):
		m.cycleSeg(key.Matches(msg, k.NextSeg))
	case key.Matches(msg, k.Drop, k.Delay, k.Duplicate):
		m.segAction(msg)
	case key.Matches(msg, k.ArmDrop):
		m.push(armPane{})
	case key.Matches(msg, k.Client):
		m.side = model.Client
	case key.Matches(msg, k.Server):
		m.side = model.Server
	case key.Matches(msg, k.Close, k.Shutdown, k.Send, k.Abort, k.PowerOff, k.Reboot, k.Reconnect):
		m.appAction(msg)
	case key.Matches(msg, k.TWReuse):
		m.toggleReuse()
	case key.Matches(msg, k.Settings):
		m.stop()
		m.push(newSettingsPane(m.sim().Params()))
	case key.Matches(msg, k.Open):
		m.stop()
		m.push(newPickerPane(m.sc().Name))
	case key.Matches(msg, k.Lang):
		m.setLang(map[string]string{"en": "zh", "zh": "en"}[m.lang])
	case key.Matches(msg, k.Help):
		m.push(&helpPane{groups: m.helpGroups()})
	case key.Matches(msg, k.Present):
		m.togglePresent()
	case key.Matches(msg, k.Export):
		return m.exportRun()
	case key.Matches(msg, k.Kernel):
		m.stop()
		kp := newKernelPane(m.sc().Name)
		m.push(kp)
		return kp.start(&m.ctx)
	}
	return nil
}
