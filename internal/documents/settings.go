package documents

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"zhifa/internal/zhifa"
)

// Settings are the county's wording of its documents: what a county
// changes without a release. They are versioned by the day they take
// effect; a document uses the version in force on the day it is issued.
type Settings struct {
	// TownCodes maps a town's code (maoba) to its 机关代字 (紫毛坝综执);
	// a town without one uses "紫" + its short name + "综执".
	TownCodes map[string]string `json:"town_codes"`
	// Payment (APL art. 67): the bank and account where fines are paid.
	Bank        string `json:"bank"`
	AccountName string `json:"account_name"`
	Account     string `json:"account"`
	// Remedies: the reconsideration body and the court (复议法 art. 24,
	// 行诉法 art. 18) and their periods as printed.
	ReconsiderationBody string `json:"reconsideration_body"`
	ReconsiderationDays int    `json:"reconsideration_days"`
	Court               string `json:"court"`
	LitigationMonths    int    `json:"litigation_months"`
	// SealText is printed in the seal zone of an external document, where
	// the red seal is stamped by hand.
	SealText string `json:"seal_text"`
	// ChineseDates writes 二〇二五年九月一日 instead of 2025年9月1日.
	ChineseDates bool `json:"chinese_dates"`
	// Standard phrases.
	SilencePhrase   string `json:"silence_phrase"`    // 逾期未提出的，视为放弃上述权利
	NoSuspendPhrase string `json:"no_suspend_phrase"` // 复议、诉讼期间不停止执行
	Contact         string `json:"contact"`           // 联系电话 printed on notices
	// Retention periods (保管期限) of a dossier.
	RetentionGeneral string `json:"retention_general"`
	RetentionSummary string `json:"retention_summary"`
}

// DefaultSettings are the values of documents.md: the town acts in its own
// name, Ziyang's county government hears reconsideration, the county court
// hears lawsuits.
func DefaultSettings() Settings {
	return Settings{
		TownCodes:           map[string]string{},
		Bank:                "紫阳县农村信用合作联社营业网点",
		AccountName:         "紫阳县财政局非税收入汇缴结算户",
		Account:             "（由县财政局提供）",
		ReconsiderationBody: "紫阳县人民政府",
		ReconsiderationDays: 60,
		Court:               "紫阳县人民法院",
		LitigationMonths:    6,
		SealText:            "（印章）",
		SilencePhrase:       "逾期未提出的，视为放弃上述权利。",
		NoSuspendPhrase:     "行政复议或者行政诉讼期间，本决定不停止执行（法律另有规定的除外）。",
		RetentionGeneral:    "永久",
		RetentionSummary:    "30年",
	}
}

// SettingsVersion is one version of the settings.
type SettingsVersion struct {
	ID          int64     `db:"id"`
	EffectiveOn time.Time `db:"effective_on"`
	Settings    Settings  `db:"settings"`
	Note        string    `db:"note"`
	CreatedBy   string    `db:"created_by"`
	CreatedAt   time.Time `db:"created_at"`
}

// TownCode is the 机关代字 of a town.
func (s Settings) TownCode(code, shortName string) string {
	if c := strings.TrimSpace(s.TownCodes[code]); c != "" {
		return c
	}
	return "紫" + shortName + "综执"
}

// settingsOn reads the version in force on day (the defaults, id 0, when
// the county has saved none yet). Stored values are read over the
// defaults, so a key added in a later release has its default.
func settingsOn(ctx context.Context, tx pgx.Tx, day time.Time) (Settings, int64, error) {
	s := DefaultSettings()
	var id int64
	var raw []byte
	err := tx.QueryRow(ctx, `SELECT id, settings FROM document_settings WHERE effective_on <= $1
		ORDER BY effective_on DESC LIMIT 1`, day.Format(time.DateOnly)).Scan(&id, &raw)
	if err == pgx.ErrNoRows {
		return s, 0, nil
	}
	if err != nil {
		return s, 0, fmt.Errorf("document settings: %w", err)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, 0, fmt.Errorf("document settings %d: %w", id, err)
	}
	if s.TownCodes == nil {
		s.TownCodes = map[string]string{}
	}
	return s, id, nil
}

// SettingsOn is the version of the settings in force on day.
func (s *Service) SettingsOn(ctx context.Context, day time.Time) (Settings, error) {
	var out Settings
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		var err error
		out, _, err = settingsOn(ctx, tx, day)
		return err
	})
	return out, err
}

// SettingsVersions lists every saved version, newest first.
func (s *Service) SettingsVersions(ctx context.Context) ([]SettingsVersion, error) {
	var out []SettingsVersion
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT v.id, v.effective_on, v.settings, v.note, coalesce(u.display_name, '') AS created_by, v.created_at
			FROM document_settings v LEFT JOIN users u ON u.id = v.created_by ORDER BY v.effective_on DESC`)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[SettingsVersion])
		return err
	})
	return out, zhifa.Annotate(err, "document settings versions")
}

// SaveSettings adds a version taking effect on effective (today or later:
// documents already issued keep the wording they were issued with).
func (s *Service) SaveSettings(ctx context.Context, effective time.Time, v Settings, note string) error {
	fe := zhifa.FieldErrors{}
	today := s.Clock.Today()
	fe.Check(!effective.IsZero(), "effective_on", "请填写生效日期。")
	fe.Check(effective.IsZero() || !effective.Before(today), "effective_on", "生效日期不能早于今天：已签发的文书按签发当日施行的设置制作，不能追溯修改。")
	for name, val := range map[string]string{"bank": v.Bank, "account_name": v.AccountName, "account": v.Account,
		"reconsideration_body": v.ReconsiderationBody, "court": v.Court} {
		fe.Check(strings.TrimSpace(val) != "", name, "此项为必填项。")
	}
	fe.Check(v.ReconsiderationDays >= 60 && v.ReconsiderationDays <= 365, "reconsideration_days", "复议期限应为60至365日（行政复议法第二十条）。")
	fe.Check(v.LitigationMonths >= 6 && v.LitigationMonths <= 12, "litigation_months", "起诉期限应为6至12个月（行政诉讼法第四十六条）。")
	for code, c := range v.TownCodes {
		if len([]rune(c)) > 12 {
			fe.Add("code_"+code, "机关代字不超过12个字。")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a := zhifa.ActorFrom(ctx)
	err := s.DB.Tx(ctx, func(tx pgx.Tx) error {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO document_settings (effective_on, settings, note, created_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (effective_on) DO NOTHING`, effective.Format(time.DateOnly), raw, note, a.UserID)
		if err == nil && tag.RowsAffected() == 0 {
			return zhifa.FieldErrors{"effective_on": "该日期已有一个版本（已保存的版本不能修改），请选择其他生效日期。"}
		}
		return err
	})
	return zhifa.Annotate(err, "save document settings")
}
