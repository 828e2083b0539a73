package ui

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"finwait/render"
)

// exportFormats are what e writes, each with its file extension: the SVG
// for slides and the text ladder for handouts.
var exportFormats = [][2]string{{"svg", ".svg"}, {"text", ".txt"}}

// exportRun writes the run as it is now (the user's drops, delays and
// rewinds included) to finwait-<scenario>-<n>.svg and .txt in the current
// directory, choosing n so that no file is overwritten, and says where in
// the status bar.
func (m *Model) exportRun() {
	if m.noFiles {
		m.say("ui.msg.export_shared", true)
		return
	}
	dir, err := os.Getwd()
	if err == nil {
		dir, err = filepath.Abs(dir)
	}
	if err != nil {
		m.say("ui.msg.export_failed", true, "err", err)
		return
	}
	base, err := m.writeExports(dir, "finwait-"+fileSafe(m.sc.Name))
	if err != nil {
		m.say("ui.msg.export_failed", true, "err", err)
		return
	}
	m.say("ui.msg.exported", false, "base", base, "dir", dir)
}

// writeExports writes every format under the first free name
// prefix-<n>; a name is free when none of its files exists. Files are
// created exclusively, so a file that appears meanwhile is not
// overwritten either.
func (m *Model) writeExports(dir, prefix string) (string, error) {
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
		for _, f := range exportFormats {
			path := filepath.Join(dir, base+f[1])
			err := m.writeExport(path, f[0])
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
	return "", errors.New(m.cat.T("ui.msg.export_no_name", "prefix", prefix))
}

func (m *Model) writeExport(path, format string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(f)
	err = render.Export(b, m.sim, m.cat, format)
	if err == nil {
		err = b.Flush()
	}
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
