package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"finwait/lessons"
	"finwait/model"
)

var updateExports = flag.Bool("update", false, "rewrite the golden files in testdata/export")

func runScenario(t *testing.T, name string) *model.Sim {
	t.Helper()
	sc, err := lessons.BuiltinScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := model.New(sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sim.Run(1 << 20)
	return sim
}

func TestExportGolden(t *testing.T) {
	for _, name := range []string{"close", "lost-final-ack"} {
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Export(&b, runScenario(t, name), lessons.Messages("en"), format); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "export", name+"."+format)
			if *updateExports {
				os.MkdirAll(filepath.Dir(path), 0o755)
				os.WriteFile(path, b.Bytes(), 0o644)
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./render -run TestExportGolden -update)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from %s (review, then -update)", format, path)
			}
		}
	}
}

// The Mermaid export is a sequenceDiagram: two participants, one message
// line per segment (lost ones drawn with -x), notes on the lanes.
func TestExportMermaidStructure(t *testing.T) {
	sim := runScenario(t, "lost-final-ack")
	var b bytes.Buffer
	Export(&b, sim, lessons.Messages("en"), "mermaid")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "sequenceDiagram" {
		t.Fatalf("first line %q", lines[0])
	}
	msg := regexp.MustCompile(`^    (C|S)(->>|-x)(C|S): [^;]+$`)
	note := regexp.MustCompile(`^    Note (left|right) of (C|S): [^;]+$`)
	part := regexp.MustCompile(`^    participant (C|S) as .+$`)
	sends, lost, participants := 0, 0, 0
	for _, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "    title "):
		case part.MatchString(l):
			participants++
		case msg.MatchString(l):
			sends++
			if strings.Contains(l, "-x") {
				lost++
			}
		case note.MatchString(l):
		default:
			t.Errorf("line is not sequenceDiagram syntax: %q", l)
		}
	}
	want := 0
	for _, e := range sim.Trace() {
		if e.Kind == model.EvSend {
			want++
		}
	}
	if participants != 2 || sends != want || lost != 1 {
		t.Errorf("participants %d, messages %d (want %d), lost %d (want 1)", participants, sends, want, lost)
	}
}

func TestExportSVGWellFormed(t *testing.T) {
	for _, name := range []string{"close", "lost-final-ack", "keepalive-dead"} {
		for _, lang := range lessons.Languages {
			var b bytes.Buffer
			Export(&b, runScenario(t, name), lessons.Messages(lang), "svg")
			d := xml.NewDecoder(&b)
			lines := 0
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s/%s: not well-formed XML: %v", name, lang, err)
				}
				if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "line" {
					lines++
				}
			}
			if lines < 3 {
				t.Errorf("%s: only %d lines drawn", name, lines)
			}
		}
	}
}

// failAfter accepts n bytes, then fails every write as a full disk does.
type failAfter struct{ n int }

var errFull = errors.New("no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return len(p), nil
	}
	n := f.n
	f.n = 0
	return n, errFull
}

// A writer that fails, at the first byte or in the middle, makes every
// format return its error: the caller must not report a cut export as done.
func TestExportReportsWriteErrors(t *testing.T) {
	sim := runScenario(t, "lost-final-ack")
	en := lessons.Messages("en")
	for _, format := range Formats {
		var whole bytes.Buffer
		if err := Export(&whole, sim, en, format); err != nil {
			t.Fatal(err)
		}
		for _, after := range []int{0, whole.Len() / 2, whole.Len() - 1} {
			if err := Export(&failAfter{n: after}, sim, en, format); !errors.Is(err, errFull) {
				t.Errorf("%s, disk full after %d of %d bytes: Export returned %v, want the write error", format, after, whole.Len(), err)
			}
		}
		if err := Export(&failAfter{n: whole.Len()}, sim, en, format); err != nil {
			t.Errorf("%s: a writer with room for all %d bytes failed: %v", format, whole.Len(), err)
		}
	}
}
