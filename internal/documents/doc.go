package documents

import (
	"strconv"
	"strings"
	"time"

	"zhifa/internal/cases"
	"zhifa/internal/doctype"
	"zhifa/internal/zhifa"
)

// Doc is everything a document's layout reads: the case as it stands (or
// stood when the document was issued), the county's wording, the town and
// the officer's own words. Layouts (web/doc_*.templ) are functions of a Doc.
type Doc struct {
	Kind  doctype.Kind
	Meta  *doctype.Meta
	Case  *cases.Case
	Rules cases.Rules `json:"-"`
	S     Settings

	Issuer     string // 紫阳县毛坝镇人民政府: the town acts in its own name
	Team       string // 毛坝镇综合行政执法队: the handling unit
	County     string // 紫阳县
	Bureau     string // 紫阳县司法局
	CaseNumber string
	Number     string    // the document's own 文号 (external documents, once issued)
	IssuedOn   time.Time // zero while a draft
	Draft      bool
	Fields     map[string]string

	Supersedes *Ref // the document this one replaces
	Serves     *Ref // a 送达回证: the document served
	Service    *ServiceRecord
	Hearing    bool // a notice that tells of the right to a hearing (APL art. 63)
	// Decision is the case's decision in force (决定书, 当场决定书 or 不予处罚决定书),
	// which the execution documents cite by number.
	Decision *Ref
	// Services are the services recorded on the document (for its receipt
	// page); the served documents of a case for the 备考表.
	Services []ServiceRecord
}

// Ref names another document.
type Ref struct {
	ID     int64
	Title  string
	Number string
	Reason string
}

// ServiceRecord is one service of an issued document.
type ServiceRecord struct {
	ID         int64     `db:"id"`
	DocumentID int64     `db:"document_id"`
	Method     string    `db:"method"`
	ServedOn   time.Time `db:"served_on"`
	Recipient  string    `db:"recipient"`
	Relation   string    `db:"relation"`
	Address    string    `db:"address"`
	Servers    string    `db:"servers"`
	Refused    bool      `db:"refused"`
	Witness    string    `db:"witness"`
	Note       string    `db:"note"`
	ScanID     *int64    `db:"scan_evidence"`
	RecordedBy string    `db:"recorded_by"`
	RecordedAt time.Time `db:"recorded_at"`
}

// F is the officer's text of field name.
func (d *Doc) F(name string) string { return d.Fields[name] }

// Lines splits a field into its paragraphs (blank lines dropped).
func (d *Doc) Lines(name string) []string { return Paragraphs(d.Fields[name]) }

// Paragraphs splits text into non-empty trimmed lines.
func Paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Date writes a date in the document style: 2025年9月1日 (GB/T 9704-2012),
// or 二〇二五年九月一日 where the county prints dates in Chinese.
func (d *Doc) Date(t time.Time) string {
	if t.IsZero() {
		return "　　年　　月　　日"
	}
	if d.S.ChineseDates {
		return ChineseDate(t)
	}
	return DateCN(t)
}

// DatePtr is Date of a possibly missing date.
func (d *Doc) DatePtr(t *time.Time) string {
	if t == nil {
		return d.Date(time.Time{})
	}
	return d.Date(*t)
}

// DateCN writes 2025年9月1日.
func DateCN(t time.Time) string { return t.Format("2006年1月2日") }

// ChineseDate writes 二〇二五年九月一日.
func ChineseDate(t time.Time) string {
	digits := []rune("〇一二三四五六七八九")
	var b strings.Builder
	for _, r := range t.Format("2006") {
		b.WriteRune(digits[r-'0'])
	}
	b.WriteString("年" + smallNumber(int(t.Month())) + "月" + smallNumber(t.Day()) + "日")
	return b.String()
}

func smallNumber(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d[n-10]
	default:
		return d[n/10] + "十" + d[n%10]
	}
}

// DocDate is the document's own date: the day issued, or blank in a draft.
func (d *Doc) DocDate() string { return d.Date(d.IssuedOn) }

// NumberLine is the number printed under the title: the document's 文号 for
// an external document (blank until issued), the case number for a form.
func (d *Doc) NumberLine() string {
	if d.Meta.External {
		if d.Number == "" {
			return "（签发时编号）"
		}
		return d.Number
	}
	return "案号：" + d.CaseNumber
}

// Yuan writes an amount as 3000元（大写：叁仟元整）.
func Yuan(fen int64) string { return zhifa.Yuan(fen) + "（大写：" + Capital(fen) + "）" }

// Capital writes an amount in 大写: 叁仟元整, 壹万零伍元伍角.
func Capital(fen int64) string {
	if fen <= 0 {
		return "零元整"
	}
	digits := []rune("零壹贰叁肆伍陆柒捌玖")
	units := []string{"", "拾", "佰", "仟"}
	sections := []string{"", "万", "亿", "万亿"}
	var b strings.Builder
	if yuan := strconv.FormatInt(fen/100, 10); yuan != "0" {
		zero := false
		n := len(yuan)
		for i, ch := range yuan {
			pos := n - 1 - i
			if ch == '0' {
				zero = true
			} else {
				if zero && b.Len() > 0 {
					b.WriteString("零")
				}
				zero = false
				b.WriteRune(digits[ch-'0'])
				b.WriteString(units[pos%4])
			}
			if pos%4 == 0 && pos > 0 && strings.Trim(yuan[max(0, i-3):i+1], "0") != "" {
				b.WriteString(sections[pos/4])
			}
		}
		b.WriteString("元")
	}
	jiao, f := (fen/10)%10, fen%10
	switch {
	case jiao == 0 && f == 0:
		b.WriteString("整")
	default:
		if jiao > 0 {
			b.WriteRune(digits[jiao])
			b.WriteString("角")
		} else if b.Len() > 0 {
			b.WriteString("零")
		}
		if f > 0 {
			b.WriteRune(digits[f])
			b.WriteString("分")
		}
	}
	return b.String()
}

// Penalties describes a list of penalties in the words of a decision.
func Penalties(ps []cases.Penalty) string { return cases.DescribePenalties(ps) }

// PartyLines is the party block (documents.md §1.3), one line each.
func (d *Doc) PartyLines() []string {
	c := d.Case
	var out []string
	if c.PartyKind == "org" {
		out = append(out, "当事人名称："+c.PartyName)
		if c.PartyIDNumber != "" {
			out = append(out, "统一社会信用代码："+c.PartyIDNumber)
		}
		if c.PartyLegalRep != "" {
			out = append(out, "法定代表人（负责人）："+c.PartyLegalRep)
		}
		if c.PartyAddress != "" {
			out = append(out, "住所（经营场所）："+c.PartyAddress)
		}
	} else {
		line := "当事人：" + c.PartyName
		if g, born := genderBorn(c.PartyIDNumber); g != "" {
			line += "，" + g + "，" + born + "出生"
		}
		out = append(out, line)
		if c.PartyIDNumber != "" {
			out = append(out, "身份证件号码："+c.PartyIDNumber)
		}
		if c.PartyAddress != "" {
			out = append(out, "住址："+c.PartyAddress)
		}
	}
	if c.PartyPhone != "" {
		out = append(out, "联系电话："+c.PartyPhone)
	}
	return out
}

// genderBorn reads sex and birth date from an 18-digit resident ID.
func genderBorn(id string) (string, string) {
	if len(id) != 18 {
		return "", ""
	}
	born, err := time.Parse("20060102", id[6:14])
	if err != nil {
		return "", ""
	}
	g := "女"
	if (id[16]-'0')%2 == 1 {
		g = "男"
	}
	return g, DateCN(born)
}

// Officers are the handlers with their certificate numbers: 张三（执法证号：61xxxx）.
func (d *Doc) Officers() []string {
	var out []string
	for _, o := range d.Case.ActiveOfficers() {
		s := o.DisplayName
		if o.CertNumber != "" {
			s += "（执法证号：" + o.CertNumber + "）"
		}
		out = append(out, s)
	}
	return out
}

// OfficerNames joins the handlers' names.
func (d *Doc) OfficerNames() string {
	var names []string
	for _, o := range d.Case.ActiveOfficers() {
		names = append(names, o.DisplayName)
	}
	return strings.Join(names, "、")
}

// Place is where the act happened.
func (d *Doc) Place() string { return strings.TrimSpace(d.Case.PlaceVillage + d.Case.PlaceAddress) }

// CaseTitle is 案由: the party, the act and 案.
func (d *Doc) CaseTitle() string { return CaseTitle(d.Case) }

// CaseTitle is 案由 / 案件名称: the party and the act, 刘某森林防火期内未经
// 批准擅自在森林防火区内野外用火案, from the item's name (对……的行政处罚).
func CaseTitle(c *cases.Case) string {
	act := strings.TrimPrefix(c.ItemName, "对")
	for _, suffix := range []string{"的行政处罚", "的行政强制", "的行政检查", "的处罚"} {
		act = strings.TrimSuffix(act, suffix)
	}
	return c.PartyName + act + "案"
}

// Remedy is the remedy clause of an appealable act (documents.md §1.9).
func (d *Doc) Remedy() string {
	return "如不服本决定，可以在收到本决定书之日起" + itoa(d.S.ReconsiderationDays) + "日内向" + d.S.ReconsiderationBody +
		"申请行政复议，或者在" + itoa(d.S.LitigationMonths) + "个月内依法向" + d.S.Court + "提起行政诉讼。" + d.S.NoSuspendPhrase
}

// SpotRemedy is the remedy clause of an on-the-spot decision: reconsideration
// first (复议法 art. 23).
func (d *Doc) SpotRemedy() string {
	return "如不服本决定，可以在收到本决定书之日起" + itoa(d.S.ReconsiderationDays) + "日内向" + d.S.ReconsiderationBody +
		"申请行政复议；对行政复议决定不服的，可以依法向" + d.S.Court + "提起行政诉讼。"
}

// Payment is the payment clause (APL arts. 67, 72).
func (d *Doc) Payment() string {
	return "当事人应当自收到本决定书之日起十五日内，到" + d.S.Bank + "缴纳罚款（户名：" + d.S.AccountName + "，账号：" + d.S.Account +
		"），或者通过电子支付系统缴纳，执法人员不得自行收缴罚款。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款本数；" +
		"逾期不申请行政复议、不提起行政诉讼又不履行的，本机关将依法申请人民法院强制执行。"
}

func itoa(n int) string { return strconv.Itoa(n) }
