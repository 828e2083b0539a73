package ui

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"finwait/render"
)

// exportFormats are what e writes, each with its file extension: the SVG
// for slides and the text ladder for handouts.
var exportFormats = [][2]string{{"svg", ".svg"}, {"text", ".txt"}}

// exportedMsg is the result of writing an export.
type exportedMsg struct {
	base, dir string
	err       error
}

// exportRun draws the run as it is now (the user's drops, delays and
// rewinds included) and returns the command that writes it to
// finwait-<scenario>-<n>.svg and .txt in the current directory, choosing n
// so that no file is overwritten; the status bar then says where.
func (m *Model) exportRun() tea.Cmd {
	if m.noFiles {
		m.say("ui.msg.export_shared", true)
		return nil
	}
	files := make([][]byte, len(exportFormats))
	for i, f := range exportFormats {
		var b bytes.Buffer
		if err := render.Export(&b, m.sim(), m.cat, f[0]); err != nil {
			m.say("ui.msg.export_failed", true, "err", err)
			return nil
		}
		files[i] = b.Bytes()
	}
	prefix := "finwait-" + fileSafe(m.sc().Name)
	noName := m.cat.T("ui.msg.export_no_name", "prefix", prefix)
	return func() tea.Msg {
		dir, err := os.Getwd()
		if err == nil {
			dir, err = filepath.Abs(dir)
		}
		if err != nil {
			return exportedMsg{err: err}
		}
		base, err := writeExports(dir, prefix, files, noName)
		return exportedMsg{base: base, dir: dir, err: err}
	}
}

// writeExports writes every format under the first free name
// prefix-<n>; a name is free when none of its files exists. Files are
// created exclusively, so a file that appears meanwhile is not
// overwritten either.
func writeExports(dir, prefix string, files [][]byte, noName string) (string, error) {
	for n := 1; n < 10000; n++ {
		base := prefix + "-" + strconv.Itoa(n)
		taken := false
		for _, f := range exportFormats {
			if _, err := os.Lstat(filepath.Join(dir, base+f[1])); !errors.Is(err, fs.ErrNotExist) {
				taken = true
			}
		}
		if taken {
			continue
		}
		var made []string
		for i, f := range exportFormats {
			path := filepath.Join(dir, base+f[1])
			err := writeNew(path, files[i])
			if errors.Is(err, fs.ErrExist) {
				break // someone took the name meanwhile: try the next one
			}
			if err != nil {
				for _, p := range made {
					os.Remove(p)
				}
				return "", err
			}
			made = append(made, path)
		}
		if len(made) == len(exportFormats) {
			return base, nil
		}
		for _, p := range made {
			os.Remove(p)
		}
	}
	return "", errors.New(noName)
}

// writeNew writes b to a file that must not exist yet.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// fileSafe keeps a scenario's name usable in a file name: a scenario from
// a file may be named after its path.
func fileSafe(name string) string {
	name = strings.TrimSuffix(filepath.Base(name), ".scn")
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, name)
	if strings.Trim(s, "-") == "" {
		return "run"
	}
	return s
}
