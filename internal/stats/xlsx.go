package stats

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// XLSXHeadRows are the rows of each sheet above its table's header: the
// title, the periods, a blank line.
const XLSXHeadRows = 3

// numberFormats are the custom formats of each kind of cell (the values
// are the page's numbers: yuan to the fen, days to a tenth, rates as
// fractions).
var numberFormats = map[CellKind]string{
	Count:   "#,##0",
	Yuan:    "#,##0.00",
	Days:    "0.0",
	Rate:    "+0.0%;-0.0%;0.0%",
	Change:  "+#,##0;-#,##0;0",
	ChangeY: "+#,##0.00;-#,##0.00;0.00",
	ChangeD: "+0.0;-0.0;0.0",
}

// WriteXLSX writes every table of d as a sheet of one workbook, with the
// same numbers as the page: each a number cell in its format, a cell with
// no number (—) left empty.
func (d *Dashboard) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	styles := map[CellKind]int{}
	for kind, format := range numberFormats {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			return err
		}
		styles[kind] = id
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range d.Tables {
		sheet := t.Title
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		lines := []string{
			d.Place + "行政执法统计 · " + t.Title,
			fmt.Sprintf("统计期间：%s；上年同期：%s；数据截至 %s", d.Period.Label(), d.Before.Label(), d.Today.Format("2006-01-02")),
		}
		for r, l := range lines {
			if err := f.SetCellStr(sheet, cell(1, r+1), l); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, cell(1, 1), cell(1, 1), bold); err != nil {
			return err
		}
		row := XLSXHeadRows + 1
		for c, h := range t.Head {
			if err := f.SetCellStr(sheet, cell(c+1, row), h); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, cell(1, row), cell(len(t.Head), row), bold); err != nil {
			return err
		}
		rows := t.Rows
		if t.Total != nil {
			rows = append(rows[:len(rows):len(rows)], *t.Total)
		}
		for _, r := range rows {
			row++
			if err := f.SetCellStr(sheet, cell(1, row), r.Label); err != nil {
				return err
			}
			for c, v := range r.Cells {
				if v.None {
					continue
				}
				ref := cell(c+2, row)
				if err := f.SetCellFloat(sheet, ref, v.Value, -1, 64); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, ref, ref, styles[v.Kind]); err != nil {
					return err
				}
			}
		}
		if t.Note != "" {
			if err := f.SetCellStr(sheet, cell(1, row+2), "说明："+t.Note); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(sheet, "A", "A", 26); err != nil {
			return err
		}
		if last, _ := excelize.ColumnNumberToName(len(t.Head)); len(t.Head) > 1 {
			if err := f.SetColWidth(sheet, "B", last, 14); err != nil {
				return err
			}
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: XLSXHeadRows + 1,
			TopLeftCell: cell(2, XLSXHeadRows+2), ActivePane: "bottomRight"}); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// cell is the reference of column col, row row (both from 1).
func cell(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	return ref
}
