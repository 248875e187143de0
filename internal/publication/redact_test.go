package publication

import (
	"strings"
	"testing"
)

func TestMaskName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"张三", "张某"},
		{"刘德华", "刘某"},
		{"王小二", "王某"},
		{"欧阳娜娜", "欧阳某"},
		{"欧阳修", "欧阳某"},
		{"司马光", "司马某"},
		{"诸葛亮", "诸葛某"},
		{"上官婉儿", "上官某"},
		{"东方明", "东方某"},
		{"尉迟恭", "尉迟某"},
		{"欧阳", "欧某"}, // two characters: one surname, one given name
		{"张王秀英", "张某"},
		{"刘某", "刘某"},
		{"刘某某", "刘某"},
		{"阿依古丽·买买提", "阿某"},
		{" 李四 ", "李某"},
		{"john smith", "J某"},
		{"", ""},
	} {
		if got := MaskName(tt.name); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Each case: the text, what the case knows, what must be in the result and
// what must not.
func TestRedact(t *testing.T) {
	for _, tt := range []struct {
		name       string
		text       string
		known      Known
		want       []string
		wantNot    []string
		wantExactl string
	}{
		{
			name:       "an individual's party block",
			text:       "当事人：张三，男，1970年1月1日出生\n身份证件号码：610924197001011234\n住址：紫阳县毛坝镇干沙村三组12号\n联系电话：13800001234",
			known:      Known{People: []string{"张三"}, Remove: []string{"610924197001011234", "13800001234", "紫阳县毛坝镇干沙村三组12号"}},
			wantExactl: "当事人：张某，男",
		},
		{
			name:    "a compound surname in the facts",
			text:    "经查，当事人欧阳娜娜于2025年8月20日在住宅外焚烧垃圾，欧阳娜娜对上述事实无异议。",
			known:   Known{People: []string{"欧阳娜娜"}},
			want:    []string{"当事人欧阳某于2025年8月20日", "欧阳某对上述事实无异议"},
			wantNot: []string{"娜娜"},
		},
		{
			name:    "ID numbers the case does not know: 18 digits, with X, 15 digits",
			text:    "证人李四（身份证号：61092419800202123X）、王五（身份证号码：610924800202123）到场。",
			want:    []string{"（身份证号：" + Removed + "）", "（身份证号码：" + Removed + "）"},
			wantNot: []string{"61092419800202123X", "610924800202123"},
		},
		{
			name:    "a lower-case x",
			text:    "身份证号码61092419800202123x。",
			want:    []string{"身份证号码" + Removed + "。"},
			wantNot: []string{"123x"},
		},
		{
			name:    "phones in many forms",
			text:    "手机138-0000-1234，另一手机+86 139 1234 5678，座机0915-5212345，又(0915)5212346，电话：5212347，联系方式：0915 5212348转8",
			wantNot: []string{"1234", "5678", "5212345", "5212346", "5212347", "5212348"},
			want:    []string{"手机" + Removed, "电话：" + Removed, "联系方式：" + Removed},
		},
		{
			name:    "house numbers in addresses the case does not know",
			text:    "现场位于城关镇新华街25号，另一处在滨江路8-2号院3栋2单元501室，又一处门牌号：18，又在金川小区12号楼1单元302室。",
			want:    []string{"城关镇新华街，", "滨江路，", "金川小区。"},
			wantNot: []string{"25号", "8-2号", "501室", "门牌", "12号楼", "302"},
		},
		{
			name:    "Chinese numerals as a house number",
			text:    "住干沙村三组十二号。",
			want:    []string{"住干沙村三组。"},
			wantNot: []string{"十二号"},
		},
		{
			name: "numbers that are not house numbers stay",
			text: "依据紫毛坝综执罚〔2025〕3号决定和《森林防火条例》（国务院令第541号），于9月1号检查，陕0924行初1号判决。违法搭建2栋彩钢房，涉及3户村民，房屋为3室1厅。罚款1000元。",
			want: []string{"〔2025〕3号", "第541号", "9月1号", "行初1号", "违法搭建2栋彩钢房", "涉及3户村民", "3室1厅", "罚款1000元"},
		},
		{
			name:  "an organisation keeps its name; its legal representative is an individual",
			text:  "当事人名称：紫阳县张三餐饮有限公司\n统一社会信用代码：91610924MA70ABCD1X\n法定代表人（负责人）：张三\n住所（经营场所）：紫阳县城关镇新华街25号\n联系电话：0915-5212345\n你单位（张三餐饮有限公司之外）由张三经营。",
			known: Known{Orgs: []string{"紫阳县张三餐饮有限公司"}, People: []string{"张三"}, Remove: []string{"0915-5212345"}},
			want: []string{"当事人名称：紫阳县张三餐饮有限公司", "统一社会信用代码：91610924MA70ABCD1X", "法定代表人（负责人）：张某",
				"住所（经营场所）：紫阳县城关镇新华街", "由张某经营"},
			wantNot: []string{"张三经营", "25号", "5212345", "联系电话"},
		},
		{
			name:    "labelled people the case does not know",
			text:    "证人：李四，男；委托代理人：司马相如，律师；见证人：阿依古丽·买买提。经营者：王五。",
			want:    []string{"证人：李某，男", "委托代理人：司马某，律师", "见证人：阿某。", "经营者：王某。"},
			wantNot: []string{"李四", "相如", "王五", "买买提"},
		},
		{
			name: "a labelled organisation is not a person",
			text: "负责人：紫阳县环卫站，举报人：匿名群众",
			want: []string{"负责人：紫阳县环卫站"},
		},
		{
			name:    "the longer of two known names first",
			text:    "张三丰与张三同行。",
			known:   Known{People: []string{"张三", "张三丰"}},
			want:    []string{"张某与张某同行。"},
			wantNot: []string{"三丰", "张三"},
		},
		{
			name:    "a birth date in Chinese numerals",
			text:    "当事人：王小二，女，一九八五年三月八日出生，汉族。",
			known:   Known{People: []string{"王小二"}},
			want:    []string{"当事人：王某，女，汉族。"},
			wantNot: []string{"一九八五"},
		},
		{
			name:    "a bank account is removed too",
			text:    "账号：6228480402564890018",
			wantNot: []string{"6228480402564890018"},
		},
		{
			name:    "the party's address as the case holds it, without a house number",
			text:    "住址：毛坝镇干沙村三组\n当事人在毛坝镇干沙村三组自家住宅外焚烧垃圾。",
			known:   Known{People: []string{"刘某"}, Remove: []string{"毛坝镇干沙村三组"}},
			wantNot: []string{"干沙村三组", "住址"},
			want:    []string{"当事人在" + Removed + "自家住宅外焚烧垃圾。"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.text, tt.known)
			if tt.wantExactl != "" && got != tt.wantExactl {
				t.Errorf("got %q, want exactly %q", got, tt.wantExactl)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q does not contain %q", got, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("%q still contains %q", got, w)
				}
			}
		})
	}
}

// Redacting twice changes nothing more: the preview and what is stored agree.
func TestRedactIsStable(t *testing.T) {
	k := Known{People: []string{"张三"}, Remove: []string{"610924197001011234"}}
	in := "当事人：张三，男，1970年1月1日出生\n身份证件号码：610924197001011234\n现场位于新华街25号，电话13800001234。"
	once := Redact(in, k)
	if twice := Redact(once, k); twice != once {
		t.Errorf("second pass changed %q into %q", once, twice)
	}
}

func TestParagraphs(t *testing.T) {
	doc := `<article class="doc" data-kind="decision"><header class="doc-head"><p class="doc-issuer">毛坝镇人民政府</p>` +
		`<h1 class="doc-title">行政处罚决定书</h1><p class="doc-number">紫毛坝综执罚〔2025〕1号</p></header>` +
		`<div class="doc-party"><p>当事人：刘某</p><p>住址：干沙村&amp;三组</p></div>` +
		`<p class="doc-p">经查，<span>当事人</span>焚烧垃圾。</p><p class="doc-p doc-payment">到银行缴纳<br>罚款</p>` +
		`<div class="doc-keep"><p class="doc-p doc-remedy">如不服本决定，可以申请行政复议。</p>` +
		`<div class="doc-seal"><p class="doc-seal-body">毛坝镇人民政府</p><p class="doc-seal-date">2025年9月1日</p>` +
		`<p class="doc-seal-stamp" aria-hidden="true">毛坝镇人民政府（印章）</p></div></div></article>`
	got := strings.Join(Paragraphs(doc), "|")
	want := "当事人：刘某|住址：干沙村&三组|经查，当事人焚烧垃圾。|如不服本决定，可以申请行政复议。|毛坝镇人民政府|2025年9月1日"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
