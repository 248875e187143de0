package evaluation

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"zhifa/internal/zhifa"
)

// Summary is the results of a set of finished dossiers: the county's, or
// one town's.
type Summary struct {
	TownID     int64
	TownName   string // "全县" for the county
	Dossiers   int    // drawn
	Done       int    // finished
	Average    float64
	Vetoes     int
	Grades     []GradeCount
	Deductions []Frequency // most frequent first
}

// GradeCount is how many dossiers got a grade.
type GradeCount struct {
	Grade string
	Count int
}

// Frequency is how often an item was a finding (failed or deducted) and
// the points it cost.
type Frequency struct {
	Code   string
	Text   string
	Veto   bool
	Count  int
	Points float64
}

// Top is at most n of the most frequent findings.
func (s *Summary) Top(n int) []Frequency {
	if len(s.Deductions) > n {
		return s.Deductions[:n]
	}
	return s.Deductions
}

// Count is the number of dossiers of grade g.
func (s *Summary) Count(g string) int {
	for _, gc := range s.Grades {
		if gc.Grade == g {
			return gc.Count
		}
	}
	return 0
}

// Report is a round's results per town and county-wide.
type Report struct {
	Round    *Round
	Sheet    *Sheet
	County   Summary
	Towns    []Summary
	Dossiers []*Dossier
	// Findings per dossier id, for the list of dossiers.
	Findings map[int64][]string
}

type finding1 struct {
	dossier int64
	code    string
	result  string
	ded     float64
}

// Report builds the report of round id (county roles).
func (s *Service) Report(ctx context.Context, id int64) (*Report, error) {
	a := zhifa.ActorFrom(ctx)
	if a == nil || !a.Role.IsCounty() {
		return nil, errRoundNotFound
	}
	out := &Report{Findings: map[int64][]string{}}
	var fs []finding1
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		if out.Round, err = getRound(ctx, tx, id, false); err != nil {
			return err
		}
		if out.Sheet, err = sheetByID(ctx, tx, out.Round.SheetID); err != nil {
			return err
		}
		if out.Dossiers, err = listDossiers(ctx, tx, id, 0); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT s.dossier_id, s.code, s.result, s.deduction::float8 FROM eval_scores s
			JOIN eval_dossiers d ON d.id = s.dossier_id
			WHERE d.round_id = $1 AND d.status = 'done' AND (s.result = 'fail' OR s.deduction > 0) ORDER BY s.dossier_id, s.id`, id)
		var f finding1
		_, err = pgx.ForEachRow(rows, []any{&f.dossier, &f.code, &f.result, &f.ded}, func() error { fs = append(fs, f); return nil })
		return err
	})
	if err != nil {
		return nil, zhifa.Annotate(err, fmt.Sprintf("evaluation report %d", id))
	}
	out.build(fs)
	return out, nil
}

func (r *Report) build(fs []finding1) {
	r.County = Summary{TownName: "全县"}
	byTown := map[int64]*Summary{}
	var order []int64
	townOf := map[int64]int64{}
	for _, d := range r.Dossiers {
		townOf[d.ID] = d.TownID
		t, ok := byTown[d.TownID]
		if !ok {
			t = &Summary{TownID: d.TownID, TownName: d.TownName}
			byTown[d.TownID] = t
			order = append(order, d.TownID)
		}
		for _, s := range []*Summary{&r.County, t} {
			s.Dossiers++
			if d.Status != DossierDone || d.Total == nil {
				continue
			}
			s.Done++
			s.Average += *d.Total
			if d.Veto {
				s.Vetoes++
			}
		}
	}
	sums := []*Summary{&r.County}
	for _, id := range order {
		sums = append(sums, byTown[id])
	}
	for _, s := range sums {
		if s.Done > 0 {
			s.Average = Round1(s.Average / float64(s.Done))
		}
		for _, g := range r.Sheet.Grades {
			s.Grades = append(s.Grades, GradeCount{Grade: g.Name})
		}
	}
	for _, d := range r.Dossiers {
		if d.Status != DossierDone {
			continue
		}
		for _, s := range []*Summary{&r.County, byTown[d.TownID]} {
			for i := range s.Grades {
				if s.Grades[i].Grade == d.Grade {
					s.Grades[i].Count++
				}
			}
		}
	}
	for _, f := range fs {
		it, _ := r.Sheet.Item(f.code)
		label := f.code
		if it.Tier == TierVeto {
			label += "（否决）"
		} else {
			label += "（扣" + Points(f.ded) + "分）"
		}
		r.Findings[f.dossier] = append(r.Findings[f.dossier], label)
		for _, s := range []*Summary{&r.County, byTown[townOf[f.dossier]]} {
			i := slices.IndexFunc(s.Deductions, func(x Frequency) bool { return x.Code == f.code })
			if i < 0 {
				s.Deductions = append(s.Deductions, Frequency{Code: f.code, Text: it.Text, Veto: it.Tier == TierVeto})
				i = len(s.Deductions) - 1
			}
			s.Deductions[i].Count++
			s.Deductions[i].Points = Round1(s.Deductions[i].Points + f.ded)
		}
	}
	for _, s := range sums {
		slices.SortStableFunc(s.Deductions, func(a, b Frequency) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Code, b.Code)
		})
	}
	for _, id := range order {
		r.Towns = append(r.Towns, *byTown[id])
	}
}

// WriteXLSX writes the report as a workbook: the summary per town, the
// dossiers, the findings by item.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet string, row int, cells ...any) error {
		return f.SetSheetRow(sheet, fmt.Sprintf("A%d", row), &cells)
	}
	const sum, dos, ded = "汇总", "案卷", "扣分项"
	if err := f.SetSheetName("Sheet1", sum); err != nil {
		return err
	}
	for _, name := range []string{dos, ded} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	title := fmt.Sprintf("%s（%s至%s结案案卷）", r.Round.Name, D(r.Round.PeriodFrom), D(r.Round.PeriodTo))
	if err := set(sum, 1, title); err != nil {
		return err
	}
	head := []any{"镇", "抽取案卷", "已评查", "平均分", "否决"}
	for _, g := range r.Sheet.Grades {
		head = append(head, g.Name)
	}
	head = append(head, "主要扣分项")
	if err := set(sum, 2, head...); err != nil {
		return err
	}
	for i, s := range append([]Summary{r.County}, r.Towns...) {
		row := []any{s.TownName, s.Dossiers, s.Done, s.Average, s.Vetoes}
		for _, g := range s.Grades {
			row = append(row, g.Count)
		}
		var top []string
		for _, fr := range s.Top(3) {
			top = append(top, fmt.Sprintf("%s（%d次）", fr.Code, fr.Count))
		}
		row = append(row, strings.Join(top, "、"))
		if err := set(sum, i+3, row...); err != nil {
			return err
		}
	}
	if err := set(dos, 1, "序号", "镇", "案号", "当事人", "案由", "评查人", "状态", "卷面得分", "得分", "等次", "否决", "评查日期", "问题"); err != nil {
		return err
	}
	for i, d := range r.Dossiers {
		row := []any{i + 1, d.TownName, d.CaseNumber, d.PartyName, d.ItemName, d.ScoredBy, d.StatusLabel()}
		if d.Status == DossierDone {
			veto := ""
			if d.Veto {
				veto = "是"
			}
			row = append(row, *d.Points, *d.Total, d.Grade, veto, D(*d.ScoredOn))
		} else {
			row = append(row, "", "", "", "", "")
		}
		row = append(row, strings.Join(r.Findings[d.ID], "；"))
		if err := set(dos, i+2, row...); err != nil {
			return err
		}
	}
	if err := set(ded, 1, "编号", "评查项", "类别", "次数", "合计扣分"); err != nil {
		return err
	}
	for i, fr := range r.County.Deductions {
		kind := "扣分项"
		if fr.Veto {
			kind = "否决项"
		}
		if err := set(ded, i+2, fr.Code, fr.Text, kind, fr.Count, fr.Points); err != nil {
			return err
		}
	}
	for sheet, widths := range map[string][]float64{sum: {14, 10, 8, 8, 6, 6, 6, 6, 6, 40}, dos: {6, 10, 26, 14, 30, 12, 8, 8, 8, 8, 6, 12, 40}, ded: {8, 60, 8, 6, 10}} {
		for i, wd := range widths {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := f.SetColWidth(sheet, col, col, wd); err != nil {
				return err
			}
		}
	}
	return f.Write(w)
}
