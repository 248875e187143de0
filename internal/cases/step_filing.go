package cases

import (
	"fmt"
	"time"

	"zhifa/internal/filing"
)

// obligeFiling judges a general-procedure decision by the county's
// thresholds for major penalty decisions (重大行政处罚) in force on the
// decision day and, when it is major, records in the decision's own
// transaction the obligation to file it with the county within the set
// working days. It returns what the timeline adds to the decision ("" when
// it is not major).
func obligeFiling(x *act, ps []Penalty) (string, error) {
	var domainID int64
	if err := x.tx.QueryRow(x.ctx, `SELECT domain_id FROM catalogue_items WHERE id = $1`, x.c.ItemID).Scan(&domainID); err != nil {
		return "", fmt.Errorf("item domain: %w", err)
	}
	sanctions := make([]filing.Sanction, 0, len(ps))
	for _, p := range ps {
		sanctions = append(sanctions, filing.Sanction{Kind: p.Kind, AmountFen: p.AmountFen, Note: p.Note})
	}
	ob, err := filing.Obligate(x.ctx, x.tx, filing.Decision{TownID: x.c.TownID, CaseID: x.c.ID, DomainID: domainID,
		PartyKind: x.c.PartyKind, DecidedOn: x.today, Sanctions: sanctions,
		WorkingDays: int(x.r.Get("major_filing_working_days", 15)), Calendar: x.cal})
	if err != nil || ob == nil {
		return "", err
	}
	return fmt.Sprintf("。属于重大行政处罚（%s），应于%s前报县司法局备案审查", ob.Reason, ob.DueOn.Format(time.DateOnly)), nil
}
