package render

import (
	"regexp"
	"testing"
)

// Every colour has a value in every look, and no two names share every
// value (a colour named twice would drift apart when one is changed).
func TestPaletteComplete(t *testing.T) {
	hex := regexp.MustCompile(`^#[0-9a-f]{6}$`)
	seen := map[[numLooks]string]Colour{}
	for c := Colour(1); c < numColours; c++ {
		var all [numLooks]string
		for l := Look(0); l < numLooks; l++ {
			all[l] = c.Hex(l)
			if !hex.MatchString(all[l]) {
				t.Errorf("colour %d in look %d is %q", c, l, all[l])
			}
		}
		if d, ok := seen[all]; ok {
			t.Errorf("colours %d and %d are the same in every look", d, c)
		}
		seen[all] = c
	}
	if Colour(0).Hex(Light) != "" || numColours.Hex(Light) != "" {
		t.Error("a colour outside the palette has a value")
	}
}
