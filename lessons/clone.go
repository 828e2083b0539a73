package lessons

import "maps"

// Clone is a copy of the progress that shares nothing with p, to save
// while p goes on changing.
func (p *Progress) Clone() *Progress {
	c := *p
	c.Lessons = make(map[string]*LessonProgress, len(p.Lessons))
	for id, lp := range p.Lessons {
		l := *lp
		l.Steps = append([]int(nil), lp.Steps...)
		l.Answers = maps.Clone(lp.Answers)
		c.Lessons[id] = &l
	}
	return &c
}
