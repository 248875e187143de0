package authority

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ExportHeader is the column row of the CSV and XLSX downloads: the printed
// list's columns, with the domain spelled out since files are not grouped.
var ExportHeader = []string{"序号", "领域", "事项编码", "事项名称", "事项类别", "实施依据", "处罚种类与幅度",
	"罚款幅度（个人）", "罚款幅度（单位）", "其他处罚种类", "首违不罚", "实施主体", "原主管部门", "监督电话"}

// ExportRow is one item as a row of the downloads.
func ExportRow(it *Listed, body, phone string) []string {
	return []string{strconv.Itoa(it.Position), it.Domain, it.Code, it.Name, it.Kind, it.BasisText(), it.PenaltyText(),
		orDash(it.FineText(false)), orDash(it.FineText(true)), orDash(it.OtherKinds()), FirstOffenceCell(&it.Item), body, it.FormerDept, phone}
}

// FirstOffenceCell is the 首违不罚 column: 是 for an item on the 首违不罚清单,
// 否 for another 行政处罚 item, — for items that impose no penalty.
func FirstOffenceCell(it *Item) string {
	switch {
	case it.FirstOffenceList:
		return "是"
	case it.Kind == KindPenalty:
		return "否"
	}
	return "—"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// WriteCSV writes the items as UTF-8 CSV with a byte-order mark, so that
// Excel on an office PC opens the Chinese text correctly.
func WriteCSV(w io.Writer, items []Listed, body, phone string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	for i := range items {
		row := ExportRow(&items[i], body, phone)
		for j := range row {
			row[j] = CSVCell(row[j])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVCell neutralises a cell a spreadsheet would read as a formula (CSV
// injection): one starting with =, +, -, @, a tab or a carriage return gets
// a leading single quote, so Excel and WPS show the text as typed. The
// XLSX download needs none: its cells are written as strings.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteXLSX writes the items as one worksheet with a title row.
func WriteXLSX(w io.Writer, title string, items []Listed, body, phone string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "执法事项清单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.SetSheetRow(sheet, "A2", &ExportHeader); err != nil {
		return err
	}
	for i := range items {
		row := ExportRow(&items[i], body, phone)
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cells[0] = items[i].Position // a number, so Excel sorts it as one
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+3), &cells); err != nil {
			return err
		}
	}
	widths := []float64{6, 10, 12, 40, 10, 60, 36, 18, 18, 24, 10, 16, 24, 14}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.Write(w)
}
