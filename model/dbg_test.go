package model

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugTrace(t *testing.T) {
	f := os.Getenv("SCN")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	sc, err := ParseScenario(f, string(b))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Run(100000)
	for _, e := range s.Trace() {
		seg := ""
		if e.HasSeg {
			seg = e.Seg.Summary()
		}
		fmt.Printf("%10.3f %-11s %-6s c%d %s %s->%s %s %s %s %v\n", float64(e.T)/1e6, e.Kind, e.Side, e.Conn, seg, e.From, e.To, e.Timer, e.Rule, e.Detail, e.Note)
	}
}
