package publication

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redaction by rule (去标识化) of a decision before it is published, as the
// national rules on disclosing penalty decisions ask: an individual is
// named by surname + 某; ID numbers, phone numbers, an individual's
// address, birth dates and house numbers are removed; an organisation is
// named in full (its legal representative is an individual). The rule
// works on what the case knows (the party's name, ID, phone and address,
// the legal representative, names the officer adds) and on patterns that
// find the same kinds of data where the case does not name them. It is
// pure: the officer previews its output, and that output is what is
// stored and shown.

// Removed stands where a number or an address was removed.
const Removed = "（已隐去）"

// Known is what the case knows of the people and organisations a text
// names.
type Known struct {
	// Orgs are organisations: named in full, even where a person's name
	// is part of theirs (张三餐饮店 keeps 张三).
	Orgs []string
	// People are individuals: each occurrence becomes surname + 某.
	People []string
	// Remove are strings removed wherever they appear: ID numbers and
	// phones in whatever form the case holds them, an individual's
	// address.
	Remove []string
}

// compoundSurnames are the two-character surnames (复姓) the rule keeps
// whole: 欧阳修 → 欧阳某, not 欧某.
var compoundSurnames = []string{
	"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯",
	"轩辕", "令狐", "钟离", "闾丘", "端木", "南宫", "西门", "独孤", "澹台", "公冶", "宗政", "濮阳", "太叔", "申屠",
	"赫连", "拓跋", "百里", "东郭", "呼延", "万俟", "即墨", "梁丘", "左丘", "东门", "夹谷", "宰父", "谷梁", "段干",
	"漆雕", "壤驷", "公良", "乐正", "仲孙", "叔孙", "公羊", "巫马", "子车", "颛孙", "羊舌", "微生", "亓官", "司寇",
	"鲜于", "闻人", "公西", "第五", "淳于", "单于", "呼延", "完颜", "纳兰",
}

// MaskName reduces an individual's name to surname + 某: 张三 → 张某,
// 欧阳娜娜 → 欧阳某. A two-character name is one surname and one given
// name even when it starts like a compound surname (欧阳 → 欧某). A name of
// the 阿依古丽·买买提 form has no surname: its first character stands. A
// name in Latin letters keeps its first letter.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	r := []rune(name)
	switch {
	case len(r) == 0:
		return ""
	case strings.ContainsAny(name, "·•・"):
		return string(r[0]) + "某"
	case r[0] < utf8.RuneSelf:
		return string(unicode.ToUpper(r[0])) + "某"
	case len(r) >= 3:
		for _, s := range compoundSurnames {
			if strings.HasPrefix(name, s) {
				return s + "某"
			}
		}
	}
	return string(r[0]) + "某"
}

var (
	// A birth date: 1970年1月1日出生, 一九七〇年一月一日出生, and the label
	// form 出生日期：….
	birthRE      = regexp.MustCompile(`[，,]?\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月\s*[0-9一二三四五六七八九十]{1,3}\s*日\s*(?:出生|生)`)
	birthLabelRE = regexp.MustCompile(`(出生(?:日期|年月))\s*[：:]\s*[0-9〇零一二三四五六七八九十年月日./\-\s]+`)
	// A labelled phone: whatever digits follow the label, whatever their
	// form (a local number without its area code too).
	phoneLabelRE = regexp.MustCompile(`((?:联系|固定|移动)?(?:电话|手机)(?:号码)?|联系方式|传真)\s*[：:]\s*[0-9０-９+＋()（）\-－—\s]{5,}[0-9０-９]`)
	// Mobile: 13800001234, 138-0000-1234, +86 138 0000 1234.
	mobileRE = regexp.MustCompile(`(?:\+?86[\-\s]?)?1[3-9][0-9](?:[\-\s]?[0-9]{4}){2}`)
	// Landline: 0915-5212345, (0915)5212345, 0915 5212345, with an extension.
	landlineRE = regexp.MustCompile(`(?:[(（]0[0-9]{2,3}[)）]\s?|0[0-9]{2,3}[\-－—\s]?)[0-9]{7,8}(?:[\-－][0-9]{1,4})?`)
	// A house number: 12号, 12-3号, 十二号, 5号院, with the building,
	// unit, floor and room after it; a building with its unit, floor or
	// room (3栋2单元, not 违法搭建2栋: 栋 also counts buildings); a room of
	// three digits or more (501室, not 3室1厅).
	houseRE = regexp.MustCompile(`(?:[0-9０-９]+(?:[\-－—之][0-9０-９]+)*|[一二三四五六七八九十百零〇]+)号(?:院|楼)?` +
		`(?:[0-9０-９A-Za-z]+(?:号楼|栋|幢|座|单元|层|楼|室|户))*` +
		`|[0-9０-９A-Za-z]+(?:号楼|栋|幢|座|单元)(?:[0-9０-９A-Za-z]+(?:单元|层|楼|室|户))+` +
		`|[0-9０-９]{3,5}室`)
	doorplateRE = regexp.MustCompile(`门牌(?:号码?)?\s*[：:]?\s*(?:[0-9０-９A-Za-z\-－]+|[一二三四五六七八九十百零〇]+)号?`)
	// A labelled person: 法定代表人：王五，… The name ends at the first
	// character that is not Han (a comma, a bracket, the end).
	personLabelRE = regexp.MustCompile(`(当事人|姓名|法定代表人|负责人|经营者|委托代理人|代理人|证人|见证人|户主|投诉人|举报人|监护人|业主|实际控制人|联系人)` +
		`((?:[（(][^）)]{0,12}[）)])?\s*[：:]\s*)([\p{Han}·]+)`)
	// A line left with a label and nothing but what was removed.
	emptyLineRE = regexp.MustCompile(`^[^：:]{1,20}[：:]\s*(?:` + regexp.QuoteMeta(Removed) + `[，,、；;\s]*)+$`)
)

// orgSuffixes end a name that is an organisation's, not a person's: a
// labelled name with one is left alone.
var orgSuffixes = []string{"公司", "厂", "店", "社", "中心", "部", "站", "馆", "院", "所", "场", "行", "队", "会", "局", "委",
	"处", "厅", "校", "园", "室", "坊", "铺", "庄", "行", "点", "户", "政府", "集团", "合作社", "工作室", "个体工商户"}

// houseExcluded are the characters before a number that make its 号 a
// document's or a date's, not a house's: 〔2025〕3号, 第541号, 9月1号,
// 陕0924行初1号.
const houseExcluded = "〔〕[]【】第月字令初终执审"

// Redact applies the rule to a text (one or more lines).
func Redact(text string, k Known) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	// Organisations first, out of the way of every other rule.
	orgs := longestFirst(k.Orgs)
	for i, o := range orgs {
		text = strings.ReplaceAll(text, o, placeholder(i))
	}
	for _, s := range longestFirst(k.Remove) {
		text = strings.ReplaceAll(text, s, Removed)
	}
	for _, p := range longestFirst(k.People) {
		text = strings.ReplaceAll(text, p, MaskName(p))
	}
	text = birthLabelRE.ReplaceAllString(text, "$1："+Removed)
	text = birthRE.ReplaceAllString(text, "")
	text = phoneLabelRE.ReplaceAllString(text, "$1："+Removed)
	text = removeNumbers(text)
	text = replaceBounded(mobileRE, text, Removed)
	text = replaceBounded(landlineRE, text, Removed)
	text = doorplateRE.ReplaceAllString(text, "")
	text = removeHouses(text)
	text = personLabelRE.ReplaceAllStringFunc(text, func(m string) string {
		sub := personLabelRE.FindStringSubmatch(m)
		name := sub[3]
		n, most := utf8.RuneCountInString(strings.ReplaceAll(name, "·", "")), 4
		if strings.Contains(name, "·") {
			most = 20 // 阿依古丽·买买提: given name and father's name
		}
		if n < 2 || n > most || isOrgName(name) {
			return m // not a bare name: the known names have done what can be done
		}
		return sub[1] + sub[2] + MaskName(name)
	})
	for i, o := range orgs {
		text = strings.ReplaceAll(text, placeholder(i), o)
	}
	return tidy(text)
}

// longestFirst drops empty and duplicate entries and sorts the longest
// first, so that 张三丰 is replaced before 张三.
func longestFirst(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// placeholder stands for the i-th organisation while the other rules run:
// characters of the private use area that no rule matches.
func placeholder(i int) string {
	return string([]rune{0xE000, rune(0xE100 + i), 0xE001})
}

func isOrgName(name string) bool {
	for _, s := range orgSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// removeNumbers removes the runs of 15 to 19 digits (an 18-character one
// may end in X): resident ID numbers of 18 and of 15 digits, and bank
// accounts. A run that touches letters is a code (a unified social credit
// code has letters) and stays.
func removeNumbers(text string) string {
	var b strings.Builder
	r := []rune(text)
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			b.WriteRune(r[i])
			i++
			continue
		}
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		end := j
		if j-i == 17 && j < len(r) && (r[j] == 'X' || r[j] == 'x') {
			end = j + 1
		}
		n := end - i
		code := (i > 0 && isLetter(r[i-1])) || (end < len(r) && isLetter(r[end]))
		if n >= 15 && n <= 19 && !code {
			b.WriteString(Removed)
		} else {
			b.WriteString(string(r[i:end]))
		}
		i = end
	}
	return b.String()
}

// replaceBounded replaces the matches of re that are not part of a longer
// number or code.
func replaceBounded(re *regexp.Regexp, text, with string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringIndex(text, -1) {
		before, _ := utf8.DecodeLastRuneInString(text[:m[0]])
		after, _ := utf8.DecodeRuneInString(text[m[1]:])
		if isDigit(before) || isLetter(before) || isDigit(after) || isLetter(after) {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteString(with)
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// removeHouses removes house numbers, leaving a document's number (〔2025〕
// 3号), an article's (第541号) and a date's (9月1号).
func removeHouses(text string) string {
	var b strings.Builder
	last := 0
	for _, m := range houseRE.FindAllStringIndex(text, -1) {
		before, _ := utf8.DecodeLastRuneInString(text[:m[0]])
		if strings.ContainsRune(houseExcluded, before) || isDigit(before) || isLetter(before) {
			continue
		}
		b.WriteString(text[last:m[0]])
		last = m[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
func isLetter(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }

// tidy drops the lines left with a label and nothing else, and the
// punctuation a removal leaves doubled.
func tidy(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		for _, p := range [][2]string{{"，，", "，"}, {"（）", ""}, {"()", ""}, {"，。", "。"}, {"、、", "、"}} {
			for strings.Contains(l, p[0]) {
				l = strings.ReplaceAll(l, p[0], p[1])
			}
		}
		if l == "" || emptyLineRE.MatchString(l) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
