package cases

import (
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// ListExport is the case list as a download: the rows of a filter, with
// the filter in words and the day it was made.
type ListExport struct {
	Title  string // 毛坝镇案件 or 各镇案件
	Filter string // the filter and order in words
	Today  time.Time
	County bool // a column for the town
	Page   *Page
}

// ListExportHeader is the download's header row (镇 first for the county).
func ListExportHeader(county bool) []string {
	h := []string{"案号", "当事人", "联系电话", "事项", "地点", "状态", "程序", "承办人", "立案日期", "下一期限", "期限状态"}
	if county {
		h = append([]string{"镇"}, h...)
	}
	return h
}

// ListExportRow is one case as the download shows it: what the list page
// shows, the party's phone masked as there.
func ListExportRow(r *Row, today time.Time, county bool) []string {
	row := []string{r.NumberOrLead(), r.PartyName, MaskPhone(r.PartyPhone), r.ItemName, r.Place, r.State.Label(),
		r.Procedure.Label(), r.Lead, dateText(r.FiledOn), dateText(r.NextDueOn), r.DueStatus(today).Label()}
	if county {
		row = append([]string{r.TownName}, row...)
	}
	return row
}

func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// headerRows is how many rows come before the first case: the title, the
// filter, the date and count, the column names.
const headerRows = 4

// WriteXLSX writes the list as one worksheet, streamed (up to ExportLimit
// rows). Every cell is a string: nothing a party typed is read as a formula.
func (x *ListExport) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "案件列表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{30, 14, 14, 36, 24, 12, 10, 10, 12, 12, 10}
	if x.County {
		widths = append([]float64{10}, widths...)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRows, TopLeftCell: "A" + strconv.Itoa(headerRows+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	count := "共 " + strconv.Itoa(len(x.Page.Rows)) + " 件"
	if t := x.Page.Totals; t != nil && t.SearchCapped && x.Page.Next != nil {
		count = "共 " + strconv.Itoa(SearchLimit) + " 件以上，仅导出前 " + strconv.Itoa(len(x.Page.Rows)) + " 件，请增加条件缩小范围"
	} else if t != nil && x.Page.Next != nil {
		count = "共 " + strconv.Itoa(t.All) + " 件，仅导出前 " + strconv.Itoa(len(x.Page.Rows)) + " 件，请增加条件缩小范围"
	} else if x.Page.Next != nil {
		count += "（仅导出前 " + strconv.Itoa(len(x.Page.Rows)) + " 件，请增加条件缩小范围）"
	}
	lines := []string{x.Title, "筛选条件：" + x.Filter, "导出日期：" + x.Today.Format(time.DateOnly) + "　" + count}
	for i, l := range lines {
		if err := sw.SetRow("A"+strconv.Itoa(i+1), []any{l}); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A"+strconv.Itoa(headerRows), cells(ListExportHeader(x.County))); err != nil {
		return err
	}
	for i := range x.Page.Rows {
		row := ListExportRow(&x.Page.Rows[i], x.Today, x.County)
		if err := sw.SetRow("A"+strconv.Itoa(headerRows+1+i), cells(row)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

func cells(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// SearchCappedNote says a party or place search matched more cases than
// the totals count (SearchLimit): the list still holds every one.
var SearchCappedNote = "搜索到的案件超过" + strconv.Itoa(SearchLimit) + "件，合计只数到" + strconv.Itoa(SearchLimit) +
	"件，逾期和7日内到期的件数未统计；下面的列表可逐页查看全部结果。要得到准确件数，请增加立案日期、事项、状态等条件（县级还可选镇）缩小范围"
