package stats

import (
	"math"
	"strconv"
	"strings"
)

// Table is one table of the page, and one sheet of its XLSX: the page and
// the file are written from the same cells, so they show the same numbers.
type Table struct {
	ID    string // the anchor on the page
	Title string // the heading, and the sheet's name
	Note  string // what the numbers count, under the table
	Head  []string
	Rows  []Row
	Total *Row // the sum of the rows, or nil
}

// Row is a table's line: its label (the first column) and its numbers.
type Row struct {
	Label string
	Cells []Cell
}

// CellKind says what a cell's number is and how it is written.
type CellKind int

const (
	Count   CellKind = iota // a whole number of cases, hearings...
	Yuan                    // an amount in yuan, to the fen
	Days                    // a number of days, to one decimal
	Rate                    // a change as a fraction of the year before (0.125 is +12.5%)
	Change                  // a difference to the year before, of a Count
	ChangeY                 // a difference to the year before, of Yuan
	ChangeD                 // a difference to the year before, of Days
)

// Cell is one number of a table. None marks a cell with no number: a
// rate against nothing the year before.
type Cell struct {
	Kind  CellKind
	Value float64
	None  bool
}

// NoValue is shown for a cell with no number.
const NoValue = "—"

// String is the cell as the page shows it.
func (c Cell) String() string {
	if c.None {
		return NoValue
	}
	switch c.Kind {
	case Yuan:
		return yuanText(c.Value)
	case Days:
		return strconv.FormatFloat(c.Value, 'f', 1, 64)
	case Rate:
		return signed(strconv.FormatFloat(c.Value*100, 'f', 1, 64)) + "%"
	case Change:
		return signed(groupDigits(strconv.FormatFloat(c.Value, 'f', 0, 64)))
	case ChangeY:
		return signed(yuanText(c.Value))
	case ChangeD:
		return signed(strconv.FormatFloat(c.Value, 'f', 1, 64))
	}
	return groupDigits(strconv.FormatFloat(c.Value, 'f', 0, 64))
}

// Sign is "up", "down" or "" for a change or a rate (the page colours it).
func (c Cell) Sign() string {
	if c.None || c.Kind < Rate || math.Abs(c.Value) < 1e-9 {
		return ""
	}
	if c.Value > 0 {
		return "up"
	}
	return "down"
}

// signed puts a + before a positive number ("0" and "0.0" stay bare).
func signed(s string) string {
	if strings.HasPrefix(s, "-") || strings.Trim(s, "0.,") == "" {
		return s
	}
	return "+" + s
}

// yuanText writes an amount in yuan with thousands grouped: 12,345.60.
func yuanText(v float64) string {
	return groupDigits(strconv.FormatFloat(v, 'f', 2, 64))
}

// groupDigits puts a comma between each three digits of the whole part.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	if sign == "-" && strings.Trim(b.String(), "0.,") == "" {
		sign = "" // -0.00
	}
	return sign + b.String()
}

// Cells of each kind.
func countCell(n int) Cell        { return Cell{Kind: Count, Value: float64(n)} }
func yuanCell(fen int64) Cell     { return Cell{Kind: Yuan, Value: fenToYuan(fen)} }
func daysCell(d float64) Cell     { return Cell{Kind: Days, Value: math.Round(d*10) / 10} }
func fenToYuan(fen int64) float64 { return float64(fen) / 100 }

// rateCell is now's change on before as a fraction of before, rounded as
// shown (a tenth of a percent); none when before is zero.
func rateCell(now, before float64) Cell {
	if before == 0 {
		return Cell{Kind: Rate, None: true}
	}
	return Cell{Kind: Rate, Value: math.Round((now-before)/before*1000) / 1000}
}

// changeCell is now - before, of now's kind.
func changeCell(now, before Cell) Cell {
	kind := map[CellKind]CellKind{Count: Change, Yuan: ChangeY, Days: ChangeD}[now.Kind]
	v := now.Value - before.Value
	if kind == ChangeY {
		v = math.Round(v*100) / 100
	} else if kind == ChangeD {
		v = math.Round(v*10) / 10
	}
	return Cell{Kind: kind, Value: v}
}
