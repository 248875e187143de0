package publication

import (
	"html"
	"regexp"
	"strings"
)

// skipped are the parts of an issued decision that are not published: the
// heading (the public page prints the body, the title and the number from
// their own fields), the payment instructions (meant for the party) and
// the drawn seal.
var skipped = []string{"doc-head", "doc-payment", "doc-seal-stamp"}

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*?)(/?)>`)

var classRE = regexp.MustCompile(`\bclass="([^"]*)"`)

// blocks are the elements whose end ends a line.
var blocks = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "li": true, "tr": true,
	"header": true, "section": true, "article": true, "table": true}

var voids = map[string]bool{"br": true, "img": true, "hr": true, "meta": true, "link": true, "input": true, "col": true, "wbr": true}

// Paragraphs reads the text of an issued document's HTML (as the documents
// table holds it), a line per paragraph, leaving out the skipped parts.
func Paragraphs(doc string) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if l := strings.Join(strings.Fields(cur.String()), " "); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	skip := "" // the element being skipped, and how deep in it
	depth := 0
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(doc, -1) {
		if skip == "" {
			cur.WriteString(html.UnescapeString(doc[last:m[0]]))
		}
		last = m[1]
		closing := doc[m[2]:m[3]] == "/"
		name := strings.ToLower(doc[m[4]:m[5]])
		attrs := doc[m[6]:m[7]]
		selfClosing := m[8] < m[9] || voids[name]
		if skip != "" {
			switch {
			case name != skip || selfClosing:
			case closing:
				if depth--; depth == 0 {
					skip = ""
				}
			default:
				depth++
			}
			continue
		}
		if !closing && !selfClosing && skippedClass(attrs) {
			flush()
			skip, depth = name, 1
			continue
		}
		if name == "br" || blocks[name] {
			flush()
		}
	}
	if skip == "" {
		cur.WriteString(html.UnescapeString(doc[last:]))
	}
	flush()
	return lines
}

func skippedClass(attrs string) bool {
	m := classRE.FindStringSubmatch(attrs)
	if m == nil {
		return false
	}
	for _, c := range strings.Fields(m[1]) {
		for _, s := range skipped {
			if c == s {
				return true
			}
		}
	}
	return false
}
