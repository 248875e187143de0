package cases

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/deadline"
	"zhifa/internal/doctype"
	"zhifa/internal/filing"
	"zhifa/internal/zhifa"
)

// Load reads a case inside another package's transaction (the documents
// made from it), with its deadlines and the settings of its domain; the
// case row is locked when forUpdate, so a document is numbered and frozen
// against the case as it stands.
func Load(ctx context.Context, tx pgx.Tx, id int64, today time.Time, forUpdate bool) (*Case, Rules, error) {
	c, err := loadCase(ctx, tx, id, forUpdate)
	if err != nil {
		return nil, nil, err
	}
	r, cal, err := loadRules(ctx, tx, c.ItemID)
	if err != nil {
		return nil, nil, err
	}
	c.Deadlines = deadline.Compute(r.Deadline(), cal, c.dates(today))
	c.PaymentDueOn = c.paymentDue(r, cal)
	if !c.PaymentDueOn.IsZero() && c.FineFen > c.PaidFen {
		// The 催告 states the surcharge accrued to the day (AEL art. 35).
		c.SurchargeDue = deadline.SurchargeOwedSchedule(c.FineFen, c.schedule(r, cal), c.paymentsIn(), c.remedyPauses(), today)
	}
	// The basis as listed on the filing date (the catalogue's for a lead).
	err = tx.QueryRow(ctx, `SELECT coalesce(li.violation_basis, i.violation_basis), coalesce(li.penalty_basis, i.penalty_basis)
		FROM catalogue_items i LEFT JOIN list_version_items li
		  ON li.item_id = i.id AND li.version_id = list_version_on($2, coalesce($3::date, $4::date))
		WHERE i.id = $1`, c.ItemID, c.TownID, c.FiledOn, today).Scan(&c.ViolationBasis, &c.PenaltyBasis)
	if err != nil {
		return nil, nil, fmt.Errorf("legal basis of case %d: %w", id, err)
	}
	if c.MajorReason, err = filing.ReasonFor(ctx, tx, id); err != nil {
		return nil, nil, err
	}
	return c, r, nil
}

// Documents is what the workflow asks of the case's documents: a step the
// law ties to a document (the notice, the decision, the 催告) records its
// service on that document, which must have been issued. internal/documents
// implements it; the server wires it in, so this package needs no import of
// the documents it serves.
type Documents interface {
	// Serve records the service of the latest issued, unserved document
	// of kind in c, or refuses (EINVALID) when there is none. It returns
	// the document served.
	Serve(ctx context.Context, tx pgx.Tx, c *Case, kind doctype.Kind, svc doctype.Service) (doctype.Served, error)
}

// AddEvent appends to a case's timeline from another package's
// transaction (a document issued or served is part of the whole-process
// record).
func AddEvent(ctx context.Context, tx pgx.Tx, a *zhifa.Actor, c *Case, at time.Time, action, summary string, on time.Time) error {
	return addEvent(ctx, tx, a, c.ID, c.TownID, at, action, "", "", summary, "", on)
}
