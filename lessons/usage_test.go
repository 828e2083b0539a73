package lessons

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestUsageSameInEnglishAndChinese: the two usage texts name the same
// commands, flags and values, in the same order; only the descriptions are
// translated.
func TestUsageSameInEnglishAndChinese(t *testing.T) {
	en, zh := Usage("en"), Usage("zh")
	if en == "" || zh == "" || zh == en {
		t.Fatalf("usage texts: en %d bytes, zh %d bytes, identical %v", len(en), len(zh), zh == en)
	}
	if !catalogHasHan(zh) {
		t.Errorf("Chinese usage has no Chinese text")
	}
	if Usage("fr") != en {
		t.Errorf("Usage(\"fr\") is not the English usage")
	}
	syntax := regexp.MustCompile(`finwait [a-z]+|--[a-z-]+|\[[^\]]*\]`)
	pe, pz := syntax.FindAllString(en, -1), syntax.FindAllString(zh, -1)
	if !slices.Equal(pe, pz) {
		t.Errorf("usage syntax differs:\n en %s\n zh %s", strings.Join(pe, " "), strings.Join(pz, " "))
	}
}
