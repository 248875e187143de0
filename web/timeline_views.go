package web

// changeValue writes a corrected value on the timeline; an empty one is
// said so ("原：（空）").
func changeValue(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
