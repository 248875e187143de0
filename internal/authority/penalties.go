package authority

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/zhifa"
)

// Labels of the penalty kinds of 行政处罚法第九条 a town may impose, beside
// fines (行政拘留 is not for towns).
const (
	LabelWarning      = "警告"
	LabelConfiscation = "没收违法所得、没收非法财物"
	LabelSuspension   = "暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业"
	LabelRevocation   = "吊销许可证件"
)

// Penalties are the structured penalty kinds and fine ranges of a catalogue
// item, beside its legal text. Fines are in fen, per party kind: a nil
// minimum means no fine for that party kind; a minimum with a nil maximum is
// a fine with no fixed upper limit (a multiple of illegal gains, of the
// goods' value, of the building cost…, or an amount set by local rules),
// the minimum being the floor the law guarantees (0 when none).
type Penalties struct {
	FineMinPersonFen *int64 `db:"fine_min_person_fen"`
	FineMaxPersonFen *int64 `db:"fine_max_person_fen"`
	FineMinOrgFen    *int64 `db:"fine_min_org_fen"`
	FineMaxOrgFen    *int64 `db:"fine_max_org_fen"`
	Warning          bool   `db:"warning"`       // 警告
	Confiscation     bool   `db:"confiscation"`  // 没收违法所得、没收非法财物
	Suspension       bool   `db:"suspension"`    // 暂扣许可证件、降低资质等级、责令停产停业、责令关闭、限制从业
	Revocation       bool   `db:"revocation"`    // 吊销许可证件
	Other            string `db:"other_penalty"` // 其他行政处罚
	// FirstOffenceList marks an item on the 首违不罚清单: a first offence
	// with minor harm, corrected in time, may go unpunished (APL art. 33
	// ¶1). It is not a penalty kind: Empty and Equal ignore it.
	FirstOffenceList bool `db:"first_offence_list"`
}

// FineRange is the fine range for a party kind (org: 法人或者其他组织;
// otherwise 公民). min is nil when the item has no fine for that party kind;
// max is nil when there is no fixed upper limit.
func (p Penalties) FineRange(org bool) (min, max *int64) {
	if org {
		return p.FineMinOrgFen, p.FineMaxOrgFen
	}
	return p.FineMinPersonFen, p.FineMaxPersonFen
}

// HasFine reports whether the item provides a fine for the party kind.
func (p Penalties) HasFine(org bool) bool {
	min, _ := p.FineRange(org)
	return min != nil
}

// Empty reports whether no penalty kind is recorded.
func (p Penalties) Empty() bool {
	return p.FineMinPersonFen == nil && p.FineMinOrgFen == nil && !p.Warning && !p.Confiscation &&
		!p.Suspension && !p.Revocation && p.Other == ""
}

// PartyLabel names a party kind in refusals.
func PartyLabel(org bool) string {
	if org {
		return "法人或者其他组织（单位）"
	}
	return "公民（个人）"
}

// CheckFine checks a fine of fen for a party kind against the item's legal
// range: "" when it is within (bounds included) or when fen is 0 (no fine
// imposed), else the refusal in Chinese.
func (p Penalties) CheckFine(org bool, fen int64) string {
	if fen <= 0 {
		return ""
	}
	min, max := p.FineRange(org)
	switch {
	case min == nil:
		return "该事项对" + PartyLabel(org) + "没有罚款的处罚种类。"
	case fen < *min:
		return fmt.Sprintf("罚款%s低于该事项法定幅度（%s），无法定减轻情节的不得低于下限（行政处罚法第三十二条）。",
			zhifa.Yuan(fen), rangeYuan(min, max))
	case max != nil && fen > *max:
		return fmt.Sprintf("罚款%s高于该事项法定上限（%s），不得超出法定幅度处罚。", zhifa.Yuan(fen), rangeYuan(min, max))
	}
	return ""
}

// rangeYuan writes a range in plain yuan for refusals: "10000元至100000元",
// "50000元以下", "100000元以上".
func rangeYuan(min, max *int64) string {
	switch {
	case max == nil:
		return zhifa.Yuan(*min) + "以上"
	case *min == 0:
		return zhifa.Yuan(*max) + "以下"
	}
	return zhifa.Yuan(*min) + "至" + zhifa.Yuan(*max)
}

// WanYuan writes an amount the way lists do: "500元", "1万元", "1.5万元",
// "200万元"; other amounts in plain yuan.
func WanYuan(fen int64) string {
	if fen >= 1000000 && fen%100000 == 0 { // whole thousands of yuan from 10000
		wan := fen / 1000000
		if k := fen % 1000000 / 100000; k != 0 {
			return strconv.FormatInt(wan, 10) + "." + strconv.FormatInt(k, 10) + "万元"
		}
		return strconv.FormatInt(wan, 10) + "万元"
	}
	return zhifa.Yuan(fen)
}

// FineText describes the fine range of a party kind: "1万元至10万元",
// "5万元以下", "不低于10万元，无固定上限", "数额依法计算，无固定幅度"; "" when
// the item has no fine for that party kind.
func (p Penalties) FineText(org bool) string {
	min, max := p.FineRange(org)
	switch {
	case min == nil:
		return ""
	case max == nil && *min == 0:
		return "数额依法计算，无固定幅度"
	case max == nil:
		return "不低于" + WanYuan(*min) + "，无固定上限"
	case *min == 0:
		return WanYuan(*max) + "以下"
	case *min == *max:
		return WanYuan(*min)
	}
	return WanYuan(*min) + "至" + WanYuan(*max)
}

// OtherKinds lists the penalty kinds beside fines, in the order of
// 行政处罚法第九条, joined by "；"; "" when none.
func (p Penalties) OtherKinds() string {
	var parts []string
	add := func(ok bool, label string) {
		if ok {
			parts = append(parts, label)
		}
	}
	add(p.Warning, LabelWarning)
	add(p.Confiscation, LabelConfiscation)
	add(p.Suspension, LabelSuspension)
	add(p.Revocation, LabelRevocation)
	add(p.Other != "", p.Other)
	return strings.Join(parts, "；")
}

// Describe writes the fine ranges and the other penalty kinds in one line,
// e.g. "罚款：公民1万元至10万元；单位5万元至20万元；警告；吊销许可证件".
// With org nil both party kinds are shown; with org set, only that one's
// fine, without the party label. "" when nothing is recorded.
func (p Penalties) Describe(org *bool) string {
	var parts []string
	if org != nil {
		if t := p.FineText(*org); t != "" {
			parts = append(parts, "罚款："+t)
		}
	} else {
		var fines []string
		if t := p.FineText(false); t != "" {
			fines = append(fines, "公民"+t)
		}
		if t := p.FineText(true); t != "" {
			fines = append(fines, "单位"+t)
		}
		if len(fines) > 0 {
			parts = append(parts, "罚款："+strings.Join(fines, "；"))
		}
	}
	if t := p.OtherKinds(); t != "" {
		parts = append(parts, t)
	}
	return strings.Join(parts, "；")
}

// Equal reports whether two records carry the same penalties (the
// 首违不罚 flag aside: drafts report its change apart).
func (p Penalties) Equal(q Penalties) bool {
	eq := func(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	return eq(p.FineMinPersonFen, q.FineMinPersonFen) && eq(p.FineMaxPersonFen, q.FineMaxPersonFen) &&
		eq(p.FineMinOrgFen, q.FineMinOrgFen) && eq(p.FineMaxOrgFen, q.FineMaxOrgFen) &&
		p.Warning == q.Warning && p.Confiscation == q.Confiscation && p.Suspension == q.Suspension &&
		p.Revocation == q.Revocation && p.Other == q.Other
}

// ItemPenalties reads a catalogue item's kind (行政处罚, 行政强制, 行政检查)
// and its penalties as they stand now, in the caller's transaction.
func ItemPenalties(ctx context.Context, tx pgx.Tx, itemID int64) (kind string, p Penalties, err error) {
	err = tx.QueryRow(ctx, `SELECT kind, fine_min_person_fen, fine_max_person_fen, fine_min_org_fen, fine_max_org_fen,
		warning, confiscation, suspension, revocation, other_penalty, first_offence_list FROM catalogue_items WHERE id = $1`, itemID).
		Scan(&kind, &p.FineMinPersonFen, &p.FineMaxPersonFen, &p.FineMinOrgFen, &p.FineMaxOrgFen,
			&p.Warning, &p.Confiscation, &p.Suspension, &p.Revocation, &p.Other, &p.FirstOffenceList)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", p, zhifa.Errorf(zhifa.ENOTFOUND, "没有找到该执法事项。")
	} else if err != nil {
		return "", p, fmt.Errorf("penalties of item %d: %w", itemID, err)
	}
	return kind, p, nil
}

// penaltyColumns lists the penalty columns, qualified by alias unless "".
func penaltyColumns(alias string) string {
	cols := []string{"fine_min_person_fen", "fine_max_person_fen", "fine_min_org_fen", "fine_max_org_fen",
		"warning", "confiscation", "suspension", "revocation", "other_penalty", "first_offence_list"}
	if alias != "" {
		for i, c := range cols {
			cols[i] = alias + "." + c
		}
	}
	return strings.Join(cols, ", ")
}

// ListedPenalties reads an item's penalties, and whether it is on the
// 首违不罚清单, as the town's list in force on day carries them (the list is
// frozen when published, so a case keeps the range of its filing date). Versions published before penalties were
// recorded carry none; then the catalogue's are used.
func ListedPenalties(ctx context.Context, tx pgx.Tx, townID, itemID int64, day time.Time) (Penalties, error) {
	b := &pgx.Batch{}
	finish := QueueListedPenalties(b, townID, itemID, day)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return Penalties{}, err
	}
	return finish(ctx, tx)
}

// QueueListedPenalties queues ListedPenalties's read of the list on b, for
// a caller that reads more in the same round trip; once b is read, finish
// gives the penalties (reading the item's own when the list carried none).
func QueueListedPenalties(b *pgx.Batch, townID, itemID int64, day time.Time) (finish func(context.Context, pgx.Tx) (Penalties, error)) {
	var p Penalties
	listed := false
	b.Queue(`SELECT `+penaltyColumns("")+` FROM list_version_items
		WHERE version_id = list_version_on($1, $2) AND item_id = $3`, townID, day.Format(time.DateOnly), itemID).
		QueryRow(func(row pgx.Row) error {
			err := row.Scan(&p.FineMinPersonFen, &p.FineMaxPersonFen, &p.FineMinOrgFen, &p.FineMaxOrgFen,
				&p.Warning, &p.Confiscation, &p.Suspension, &p.Revocation, &p.Other, &p.FirstOffenceList)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				return nil
			case err != nil:
				return fmt.Errorf("listed penalties of item %d: %w", itemID, err)
			}
			listed = true
			return nil
		})
	return func(ctx context.Context, tx pgx.Tx) (Penalties, error) {
		if listed && !p.Empty() {
			return p, nil
		}
		_, own, err := ItemPenalties(ctx, tx, itemID)
		return own, err
	}
}

// Kinds of penalty beside fines, as cases name them.
const (
	KindWarning      = "warning"
	KindConfiscation = "confiscation"
	KindSuspension   = "suspension"
	KindRevocation   = "revocation"
	KindOther        = "other"
)

// CheckKinds checks that each kind of penalty (other than fines and orders
// to correct) is one the item's legal basis provides: "" when all are, else
// the refusal in Chinese (APL art. 4: penalties only as the law sets them).
func (p Penalties) CheckKinds(kinds []string) string {
	var missing []string
	for _, k := range kinds {
		label, ok := "", true
		switch k {
		case KindWarning:
			label, ok = LabelWarning, p.Warning
		case KindConfiscation:
			label, ok = LabelConfiscation, p.Confiscation
		case KindSuspension:
			label, ok = LabelSuspension, p.Suspension
		case KindRevocation:
			label, ok = LabelRevocation, p.Revocation
		case KindOther:
			label, ok = "其他行政处罚", p.Other != ""
		}
		if !ok {
			missing = append(missing, "“"+label+"”")
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "该事项的处罚依据没有" + strings.Join(missing, "、") + "的处罚种类，不得适用（行政处罚法第四条）。"
}
