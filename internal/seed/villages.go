package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// sampleVillages are each town's villages and residential communities
// (行政村/社区), by town code: sample data (示例数据), not the official
// division. 毛坝镇's include every place the demo cases and tests name.
var sampleVillages = map[string][]string{
	"chengguan":  {"城关社区", "东城社区", "西城社区", "新桥村", "文笔村", "河堤村"},
	"haoping":    {"蒿坪社区", "金星村", "龙潭村", "王庄村", "东河村"},
	"hanwang":    {"汉王社区", "汉城村", "马家营村", "枣园村", "黄金村"},
	"huangu":     {"焕古社区", "庙坝村", "刘家河村", "金竹村", "松河村"},
	"xiangyang":  {"向阳社区", "营梁村", "朝阳村", "悬鼓村", "小河村"},
	"donghe":     {"洞河社区", "楸园村", "天桥村", "安坪村", "大理村"},
	"huishui":    {"洄水社区", "小横河村", "湾潭村", "堰塘村", "钟家村"},
	"shuangqiao": {"双桥社区", "芭蕉村", "红岩村", "斑桃村", "麦坪村"},
	"gaoqiao":    {"高桥社区", "铁佛村", "裴坝村", "松树村", "新坪村"},
	"hongchun":   {"红椿社区", "尚坝村", "七里村", "盘厢河村", "民主村"},
	"gaotan":     {"高滩社区", "兰溪村", "新田村", "腊竹村", "双坪村"},
	"maoba":      {"毛坝社区", "干沙村", "东风村", "新华村", "红星村", "双河村", "青山村", "柳树村"},
	"wamiao":     {"瓦庙社区", "新庄村", "过风楼村", "大连村", "双胜村"},
	"maliu":      {"麻柳社区", "染沟村", "堰坪村", "铁溪村", "双丰村"},
	"shuangan":   {"双安社区", "闹阳坪村", "东河村", "白兔村", "勇敢村"},
	"dongmu":     {"东木社区", "柳坪村", "木竹坝村", "彭家村", "朝阳村"},
	"jieling":    {"界岭社区", "元坝村", "新坝村", "松坝村", "五里村"},
}

// SampleVillages returns a town's sample villages by town code, for tests.
func SampleVillages(town string) []string { return sampleVillages[town] }

// seedVillages loads the sample villages once: when the table is empty,
// so that a county administrator's later changes stand.
func seedVillages(ctx context.Context, tx pgx.Tx) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM villages)`).Scan(&exists); err != nil || exists {
		return err
	}
	for town, names := range sampleVillages {
		for i, name := range names {
			_, err := tx.Exec(ctx, `INSERT INTO villages (town_id, name, position)
				SELECT id, $2, $3 FROM towns WHERE code = $1 ON CONFLICT DO NOTHING`, town, name, i+1)
			if err != nil {
				return fmt.Errorf("seed village %s of %s: %w", name, town, err)
			}
		}
	}
	return nil
}
