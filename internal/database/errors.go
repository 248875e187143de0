package database

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5/pgconn"

	"zhifa/internal/zhifa"
)

// translate is the one place the database's refusals of bad input become
// the user's messages: a text over its column's limit (a CHECK named
// <table>_<column>_max<N>, migrations/0022) and text PostgreSQL cannot store
// (a NUL byte) are EINVALID, shown next to the form instead of a 500.
// The database's error stays wrapped inside for the log and for tests.
// Everything else passes unchanged: other check violations are bugs the
// services should have caught, and stay internal (logged).
func translate(err error) error {
	var pgErr *pgconn.PgError
	if err == nil || !errors.As(err, &pgErr) {
		return err
	}
	switch pgErr.Code {
	case pgerrcode.CheckViolation:
		if col, n, ok := lengthLimit(pgErr.TableName, pgErr.ConstraintName); ok {
			return fmt.Errorf("%w: %w", zhifa.Errorf(zhifa.EINVALID, "%s过长：不能超过%d个字，请精简后重新提交。", columnLabel(col), n), err)
		}
	case pgerrcode.CharacterNotInRepertoire, pgerrcode.UntranslatableCharacter:
		return fmt.Errorf("%w: %w", zhifa.Errorf(zhifa.EINVALID, "提交的内容含有无法保存的字符（如空字符），请删除后重新提交。"), err)
	}
	return err
}

var maxConstraintRE = regexp.MustCompile(`^([a-z_]+)_max([0-9]+)$`)

// lengthLimit reads the column and limit from a length constraint's name.
func lengthLimit(table, constraint string) (column string, limit int, ok bool) {
	m := maxConstraintRE.FindStringSubmatch(constraint)
	if m == nil {
		return "", 0, false
	}
	n, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	column = m[1]
	if table != "" {
		var found bool
		if column, found = strings.CutPrefix(column, table+"_"); !found {
			return "", 0, false
		}
	}
	return column, n, true
}

// columnLabels name the bounded columns as the forms do.
var columnLabels = map[string]string{
	"party_id_number": "身份证号码／统一社会信用代码", "party_phone": "联系电话", "party_address": "住址",
	"party_legal_rep": "法定代表人", "place_village": "发生地（村）", "place_address": "详细地点",
	"service_method": "送达方式", "transfer_body": "接收单位", "proposal_tier": "裁量阶次", "no_penalty_kind": "不予处罚的情形",
	"enforcement_court": "人民法院", "hearing_place": "听证地点", "chair_recusal_note": "回避决定意见",
	"chair_recusal_reason": "回避申请理由", "deferral_note": "批准意见", "demolition_notice": "公告内容",
	"demolition_record": "强制拆除实施情况", "education": "对当事人进行的教育", "enforcement_ruling": "裁定书内容",
	"hearing_agents": "委托代理人", "hearing_attendance": "出席人员", "hearing_private_reason": "不公开的理由",
	"mitigation_ground": "从轻、减轻处罚的情节", "outcome_reason": "理由", "proposal_reasoning": "裁量理由",
	"review_opinion": "审核意见", "service_proof": "送达凭证", "spot_statement": "当事人的陈述申辩",
	"transfer_receipt": "回执内容", "facts": "案情（事实）", "hearing_transcript": "听证笔录摘要",
	"discussion_participants": "参加人员", "discussion_conclusion": "讨论结论", "notice_text": "告知内容",
	"decision_basis": "处罚依据", "actor_name": "姓名", "summary": "摘要", "reason": "理由", "text": "内容",
	"onspot_reason": "情形说明", "quantity": "数量", "kept_at": "存放地点", "witness": "见证人", "inventory": "物品清单",
	"disposal": "处理决定", "party_statement": "当事人的陈述和申辩", "requested_by": "申请人", "decision_note": "决定意见",
	"note": "备注", "reviewer_name": "审核人", "qualification": "资格证书编号", "opinion": "意见", "content": "陈述、申辩内容",
	"recheck": "复核意见", "detail": "详细说明", "method": "送达方式", "recipient": "受送达人", "relation": "代收人与当事人关系",
	"address": "送达地点", "servers": "送达人", "title": "标题", "issued_by_name": "签发人", "supersede_reason": "替代原因",
	"filename": "文件名", "content_type": "文件类型", "superseded_reason": "替换原因", "code": "事项编码", "name": "名称",
	"kind": "类别", "domain": "领域", "former_department": "原主管部门", "penalty_types": "处罚种类", "penalty_range": "处罚幅度",
	"other_penalty": "其他行政处罚", "violation_basis": "违法依据", "penalty_basis": "处罚依据", "filed_by_name": "报送人",
	"phone": "联系电话",
}

func columnLabel(column string) string {
	if l, ok := columnLabels[column]; ok {
		return "“" + l + "”"
	}
	return "填写的内容"
}
