package ui

import (
	"reflect"
	"testing"
	"time"

	"finwait/lessons"
	"finwait/model"
)

// Every field of Shared but Seq tells the class something: a publication
// that differs in any one of them must count as a change, or followers
// would miss it. The test changes each field in turn, so a field added to
// Shared and left out of same fails here.
func TestSharedSameSeesEveryField(t *testing.T) {
	sc, _ := lessons.BuiltinScenario("close")
	other, _ := lessons.BuiltinScenario("lost-fin")
	l := &lessons.Lesson{ID: "x"}
	base := Shared{Seq: 1, Scenario: sc, Sets: []string{"msl=1s"}, Actions: []model.LoggedAction{{Pos: 1}},
		Pos: 3, Now: time.Second, Speed: 2, Lesson: "a", Step: 1}
	changed := map[string]any{
		"FromLesson": true, "Scenario": other, "Sets": []string{"msl=2s"},
		"Actions": []model.LoggedAction{{Pos: 2}}, "Pos": 4, "Now": 2 * time.Second, "Playing": true,
		"Speed": 3, "Lesson": "b", "File": l, "Step": 2,
	}
	rt := reflect.TypeFor[Shared]()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Name == "Seq" {
			continue
		}
		v, ok := changed[f.Name]
		if !ok {
			t.Errorf("Shared.%s is new: give it a changed value here and compare it in Shared.same", f.Name)
			continue
		}
		s := base
		reflect.ValueOf(&s).Elem().Field(i).Set(reflect.ValueOf(v))
		if s.same(&base) {
			t.Errorf("a change of Shared.%s alone is not seen as a change", f.Name)
		}
	}
	s := base
	s.Seq = 9
	if !s.same(&base) {
		t.Error("a new Seq alone counts as a change")
	}
}
