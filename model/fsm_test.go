package model

// Tests of the transition table itself (transitions.go): that it is
// complete and deterministic, that every endpoint's history in a trace
// starts at its birth and follows the table, and that setState refuses a
// change the table does not list. Each checker is shown to notice the
// fault it looks for (a row removed, an event removed, a forbidden change
// forced), so none of them passes by construction.

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fsmCorpus is a set of finished runs that together fire every row of the
// table: the built-in scenarios plus small scenarios for the rows they
// leave out.
func fsmCorpus(t *testing.T) []*Sim {
	t.Helper()
	var runs []*Sim
	for _, n := range builtinScenarios(t) {
		runs = append(runs, runBuiltin(t, n))
	}
	for _, src := range []string{
		"start closed\nat 0 server listen\nat 10ms client connect\n",                                           // 1p
		"start closed\nat 10ms client connect\n",                                                               // 4
		"start closed\nat 0 server listen\nat 1s server close\n",                                               // 5
		"start closed\nat 0 server listen\ndrop client:ACK:1\nat 10ms client connect\nat 100ms client abort\n", // 6r
		"start closed\nat 0 server listen\nat 10ms client connect\nat 35ms server close\n",                     // 6c
		"start established\nset delay=5ms orphan_retries=3\ndrop client:FIN:1-1000\nat 0 client close\n",       // L3.2
		"start established\nat 0 client abort\n",                                                               // 25
		closeSrc + "at 1s client abort\n",                                                                      // 26
		"start established\nat 0 server send 100\nat 0 client close\n",                                         // C3
		"start established\nset max_tw_buckets=0\n" + closeSrc[len("start established\n"):],                    // 3.1
	} {
		runs = append(runs, runScn(t, src))
	}
	// No action makes the server connect, so simultaneous open (row 3s)
	// is reached by handing the client in SYN-SENT a bare SYN, as a peer
	// connecting at the same moment would send.
	s, err := New(scn(t, "start closed\nat 0 client connect\n"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Step()
	c, _ := s.Endpoint(Client)
	if c.State != SynSent {
		t.Fatalf("client in %v, want SYN-SENT", c.State)
	}
	s.w.input(Client, &Segment{Flags: SYN, Seq: 7000, Conn: 1, SrcPort: ServerPort, DstPort: c.Lport})
	s.Run(maxSteps)
	return append(runs, s)
}

// declaredRules reads the RuleName constants of transitions.go.
func declaredRules(t *testing.T) map[RuleName]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "transitions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[RuleName]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "RuleName" {
				continue
			}
			v, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			out[RuleName(v)] = vs.Names[0].Name
		}
	}
	if len(out) < 30 {
		t.Fatalf("found %d RuleName constants in transitions.go", len(out))
	}
	return out
}

// documentedSuccessors reads "Successors: A, B." from each state's doc
// comment in state.go.
func documentedSuccessors(t *testing.T) map[State][]State {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "state.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]State{}
	docs := map[State]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST || len(g.Specs) < int(numStates) {
			continue
		}
		for i, sp := range g.Specs[:numStates] {
			vs := sp.(*ast.ValueSpec)
			byName[vs.Names[0].Name] = State(i)
			docs[State(i)] = vs.Doc.Text()
		}
	}
	out := map[State][]State{}
	for s := Closed; s < numStates; s++ {
		_, list, ok := strings.Cut(docs[s], "Successors:")
		if !ok {
			t.Fatalf("%v: doc comment names no successors: %q", s, docs[s])
		}
		list, _, _ = strings.Cut(list, ".")
		for _, n := range strings.Split(list, ",") {
			n, _, _ = strings.Cut(strings.TrimSpace(n), " ")
			st, ok := byName[n]
			if !ok {
				t.Fatalf("%v: successor %q is not a state", s, n)
			}
			out[s] = append(out[s], st)
		}
	}
	return out
}

// tableProblems lists what is wrong with rows as the engine's transition
// table, given the names the engine declares, what each state's doc says
// and the corpus of runs: every name has exactly one row, a (state, cause)
// pair has at most one row, every row has its guard and reference, every
// change recorded in a run is a row, every row is fired by some run, each
// state's successors are the documented ones, and every state can be
// reached from CLOSED and left (but CLOSED, where a connection ends).
func tableProblems(rows []Transition, declared map[RuleName]string, docs map[State][]State, runs []*Sim) []string {
	var out []string
	bad := func(f string, a ...any) { out = append(out, fmt.Sprintf(f, a...)) }
	byName := map[RuleName]*Transition{}
	type sc struct {
		s State
		c Cause
	}
	pair := map[sc]RuleName{}
	for i := range rows {
		t := &rows[i]
		if _, dup := byName[t.Rule]; dup {
			bad("rule %s: two rows", t.Rule)
		}
		byName[t.Rule] = t
		if _, ok := declared[t.Rule]; !ok {
			bad("rule %s: no RuleName constant", t.Rule)
		}
		if t.Guard == "" || t.Ref == "" || len(t.From) == 0 || t.To < Closed || t.To >= numStates {
			bad("rule %s: incomplete row %+v", t.Rule, *t)
		}
		for _, f := range t.From {
			if other, dup := pair[sc{f, t.Cause}]; dup {
				bad("rules %s and %s: both fire on %q in %v", other, t.Rule, t.Cause, f)
			}
			pair[sc{f, t.Cause}] = t.Rule
		}
	}
	for name, id := range declared {
		if byName[name] == nil {
			bad("rule %s: %s has no row", name, id)
		}
	}
	fired := map[RuleName]bool{}
	for _, s := range runs {
		for _, e := range s.Trace() {
			if e.Kind != EvState {
				continue
			}
			fired[e.Rule] = true
			if t := byName[e.Rule]; t == nil || t.To != e.To || !slices.Contains(t.From, e.From) {
				bad("rule %s: a run (%s) moved %v to %v, which no row says", e.Rule, s.Scenario().Name, e.From, e.To)
			}
		}
	}
	for _, t := range rows {
		if !fired[t.Rule] {
			bad("rule %s: no run fires it", t.Rule)
		}
	}
	reach := map[State]bool{Closed: true}
	for changed := true; changed; {
		changed = false
		for _, t := range rows {
			for _, f := range t.From {
				if reach[f] && !reach[t.To] {
					reach[t.To], changed = true, true
				}
			}
		}
	}
	for s := Closed; s < numStates; s++ {
		var succ []State
		for _, t := range rows {
			if slices.Contains(t.From, s) && !slices.Contains(succ, t.To) {
				succ = append(succ, t.To)
			}
		}
		want := slices.Clone(docs[s])
		slices.Sort(succ)
		slices.Sort(want)
		if !slices.Equal(succ, want) {
			bad("state %v: the table leads to %v, its doc comment says %v", s, succ, want)
		}
		if !reach[s] {
			bad("state %v: not reachable from CLOSED", s)
		}
		if s != Closed && len(succ) == 0 {
			bad("state %v: no row leaves it", s)
		}
	}
	return out
}

func TestTransitionTableComplete(t *testing.T) {
	runs := fsmCorpus(t)
	declared, docs := declaredRules(t), documentedSuccessors(t)
	if p := tableProblems(Rules(), declared, docs, runs); len(p) > 0 {
		t.Fatalf("the transition table:\n%s", strings.Join(p, "\n"))
	}
	for _, s := range runs {
		if err := s.Err(); err != nil {
			t.Errorf("%s: %v", s.Scenario().Name, err)
		}
	}

	// Mutations: the check must notice any row taken out, and any state
	// taken out of a row's From when a run fires the row from there.
	for i, r := range Rules() {
		rows := slices.Delete(Rules(), i, i+1)
		if !mentions(tableProblems(rows, declared, docs, runs), r.Rule) {
			t.Errorf("removing row %s went unnoticed", r.Rule)
		}
	}
	for i, r := range Rules() {
		for j, f := range r.From {
			if len(r.From) < 2 || !firedFrom(runs, r.Rule, f) {
				continue
			}
			rows := Rules()
			rows[i].From = slices.Delete(rows[i].From, j, j+1)
			if !mentions(tableProblems(rows, declared, docs, runs), r.Rule) {
				t.Errorf("removing %v from row %s went unnoticed", f, r.Rule)
			}
		}
	}
}

func mentions(problems []string, r RuleName) bool {
	for _, p := range problems {
		if strings.Contains(p, "rule "+string(r)+":") || strings.Contains(p, " "+string(r)+" ") {
			return true
		}
	}
	return false
}

func firedFrom(runs []*Sim, r RuleName, from State) bool {
	for _, s := range runs {
		for _, e := range s.Trace() {
			if e.Kind == EvState && e.Rule == r && e.From == from {
				return true
			}
		}
	}
	return false
}

// checkHistories verifies that each traced endpoint's state events form a
// history that starts at its birth and goes on from where it was: the
// first change of a (side, connection) starts from CLOSED, or from LISTEN
// by rule 2 (a listener taking the connection's SYN; its own birth is
// recorded under connection 0), and every later one from the state the
// previous one reached.
func checkHistories(tr []Event) error {
	last := map[[2]int]State{}
	for _, e := range tr {
		if e.Kind != EvState {
			continue
		}
		k := [2]int{int(e.Side), e.Conn}
		prev, ok := last[k]
		switch {
		case !ok && e.From != Closed && (e.From != Listen || e.Rule != Rule2):
			return fmt.Errorf("%s conn %d: first change at %v leaves %v: its birth is not recorded", e.Side, e.Conn, e.T, e.From)
		case ok && prev != e.From:
			return fmt.Errorf("%s conn %d: at %v a change leaves %v, but the last one reached %v", e.Side, e.Conn, e.T, e.From, prev)
		}
		last[k] = e.To
	}
	return nil
}

func TestBirthIsRecorded(t *testing.T) {
	for _, name := range builtinScenarios(t) {
		s := runBuiltin(t, name)
		if err := checkHistories(s.Trace()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if s.Scenario().Start != StartEstablished {
			continue
		}
		tr := s.Trace()
		for i, side := range []Side{Client, Server} {
			e := tr[i]
			if e.Kind != EvState || e.Side != side || e.Conn != 1 || e.From != Closed || e.To != Established ||
				e.Rule != RuleS || e.T != 0 || e.Step != 0 || e.Note != "rule.S" {
				t.Errorf("%s: event %d is %s, want the %s's birth CLOSED->ESTABLISHED by rule S at 0", name, i, evString(&e), side)
			}
		}
	}
	s := runScn(t, "start listen\nat 10ms client connect\n")
	if got := path(s, Server, anyConn); got != "CLOSED>LISTEN(1p)>SYN-RECEIVED(2)>ESTABLISHED(6)" {
		t.Errorf("server of a scenario that starts listening: %s", got)
	}
	if err := checkHistories(s.Trace()); err != nil {
		t.Error(err)
	}

	// The checker is not blind: a trace without the births, or with one
	// change left out, is refused.
	tr := runBuiltin(t, "close").Trace()
	if err := checkHistories(tr[2:]); err == nil || !strings.Contains(err.Error(), "birth") {
		t.Errorf("a trace without its births passed: %v", err)
	}
	for i, e := range tr {
		if e.Kind == EvState && e.Rule == Rule9 {
			cut := slices.Delete(slices.Clone(tr), i, i+1)
			if err := checkHistories(cut); err == nil {
				t.Error("a trace without rule 9 passed")
			}
		}
	}
}

func TestSetStateRefusesForbiddenChange(t *testing.T) {
	s := newSim(t, "close")
	if err := s.Err(); err != nil {
		t.Fatalf("fresh run: %v", err)
	}
	ep := s.w.mainEp(Client)
	n, counts := len(s.Trace()), s.w.counts
	s.w.setState(ep, Rule17, "")              // LAST-ACK -> CLOSED, from ESTABLISHED
	s.w.setState(ep, RuleName("no such"), "") // not a row at all
	if ep.State != Established || len(s.Trace()) != n || s.w.counts != counts {
		t.Fatalf("refused changes left a mark: state %v, %d events (want %d), counts %v (want %v)", ep.State, len(s.Trace()), n, s.w.counts, counts)
	}
	var te *TransitionError
	if err := s.Err(); !errors.As(err, &te) || te.Rule != Rule17 || te.From != Established || te.Side != Client || te.Conn != 1 {
		t.Fatalf("Err() = %v, want rule 17 refused in ESTABLISHED on the client", s.Err())
	}
	// The run is intact: it goes on exactly as one nobody tampered with,
	// and keeps the first refusal.
	s.Run(1 << 30)
	if got, want := traceJSON(s), traceJSON(runBuiltin(t, "close")); got != want {
		t.Errorf("the run changed after the refusals:\n%s\nwant\n%s", got, want)
	}
	if !errors.As(s.Err(), &te) || te.Rule != Rule17 {
		t.Errorf("Err() after the run = %v, want the first refusal", s.Err())
	}
}

func TestRuleAccessorsCopy(t *testing.T) {
	r, ok := Rule(Rule8)
	if !ok || r.To != CloseWait || !slices.Equal(r.From, []State{SynReceived, Established}) || r.NoteKey() != "rule.8" {
		t.Fatalf("Rule(8) = %+v, %v", r, ok)
	}
	r.From[0] = TimeWait
	Rules()[0].From[0] = TimeWait
	if again, _ := Rule(Rule8); again.From[0] != SynReceived || !Allows(Closed, Established) || Allows(TimeWait, CloseWait) {
		t.Error("changing a copy changed the table")
	}
	if _, ok := Rule("8 "); ok {
		t.Error("Rule found a row that does not exist")
	}
}
