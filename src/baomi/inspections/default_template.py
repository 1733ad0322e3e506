"""The default checklist: the 13 inspection areas of 实施条例 Art 58 (R-SITE-4), with check items
drawn from the duties of LAW.md. Items that name a probe are measured from baomi's own records
(``baomi.kit.probes``). Shipped by migration 0002 as version 1, published; version 2 (migration
0004) adds :data:`REGISTER_ITEMS`, the supervision registers' measured checks (issue 16 §8), and
retires version 1 — runs opened on version 1 keep it. The security officer edits copies (SUP-1).
Plain data: the migrations import it, so never rename a key here.
"""

from __future__ import annotations

NAME = "保密工作自查自评标准（实施条例第五十八条）"

# (area title, [(item text, how to check, score, evidence required, probe key)])
AREAS: list[tuple[str, list[tuple[str, str, int, bool, str]]]] = [
    ("保密工作责任制", [
        ("单位主要负责人对保密工作负总责，分管负责人负领导责任，工作人员对本岗位保密工作负直接责任",
         "查阅领导班子分工文件、保密工作责任书", 5, True, ""),
        ("成立保密工作领导小组，明确保密工作机构和专职（兼职）保密干部",
         "查阅成立文件、人员名单及调整记录", 5, True, ""),
        ("每年研究部署保密工作，将保密工作纳入年度考核",
         "查阅会议纪要、考核办法", 4, True, ""),
    ]),
    ("保密制度建设", [
        ("建立健全定密、涉密人员、载体、信息系统、要害部门部位等保密管理制度",
         "查阅制度汇编及发布文件", 5, True, ""),
        ("制度根据法规变化及时修订，有版本和生效日期记录", "查阅修订记录", 3, False, ""),
    ]),
    ("宣传教育培训", [
        ("制定年度保密教育培训计划并组织实施", "查阅计划、培训记录和签到表", 4, True, ""),
        ("涉密人员上岗前接受保密教育培训", "抽查涉密人员培训记录", 4, False, ""),
    ]),
    ("涉密人员管理", [
        ("涉密人员签订有效的保密承诺书", "由系统按涉密人员档案和承诺书签署记录计算", 6, False,
         "personnel.pledge_missing"),
        ("按期开展涉密人员保密复审", "由系统按复审到期日计算", 4, False, "personnel.rereview_overdue"),
        ("离岗离职涉密人员清退全部涉密载体后方可离岗", "由系统按离岗离职事项和载体台账计算", 5, False,
         "personnel.exit_outstanding"),
        ("涉密人员因私出国（境）按规定审批并在返回后及时报告", "由系统按出国（境）审批和回国报告记录计算", 4,
         False, "personnel.travel_report_missing"),
    ]),
    ("定密管理", [
        ("定密责任人、承办人经过定密培训", "由系统按定密培训记录计算", 5, False,
         "personnel.determination_training"),
        ("国家秘密事项保密期限届满后按规定自行解密或及时处理", "由系统按事项保密期限计算", 5, False,
         "classification.past_period"),
        ("定密依据准确，密级、保密期限和知悉范围标注规范", "抽查定密审批单和国家秘密标志", 5, True, ""),
    ]),
    ("国家秘密载体管理", [
        ("涉密载体账物相符，定期清点", "由系统按最近一次清点结果计算", 4, False, "carriers.not_inventoried"),
        ("没有丢失未找回的涉密载体", "由系统按载体丢失登记计算", 4, False, "carriers.missing"),
        ("借阅涉密载体按期归还", "由系统按借阅到期日计算", 4, False, "carriers.loans_overdue"),
        ("涉密载体传递履行签收手续", "由系统按传递签收记录计算", 4, False, "carriers.transfers_unsigned"),
        ("销毁涉密载体经审批并由两人以上监销", "由系统按销毁清单和监销人记录计算", 5, False,
         "carriers.destroyed_without_witnesses"),
    ]),
    ("信息系统和信息设备管理", [
        ("涉密信息系统按分级保护要求建设并通过测评审查", "查阅测评报告和审批文件", 5, True, ""),
        ("涉密计算机、移动存储介质登记编号，专人管理", "抽查设备台账与实物", 4, True, ""),
    ]),
    ("互联网使用保密管理", [
        ("涉密计算机不接入互联网，非涉密计算机不处理涉密信息", "现场抽查计算机，查阅检查工具记录", 5, True, ""),
        ("互联网门户网站和新媒体发布信息前进行保密审查", "抽查发布审批记录", 3, False, ""),
    ]),
    ("保密要害部门部位管理", [
        ("确定保密要害部门部位并报备，落实人防、物防、技防措施", "查阅确定文件，现场检查", 5, True, ""),
    ]),
    ("涉密采购和外包管理", [
        ("涉密采购和涉密业务外包选择具有相应保密资质的单位并签订保密协议", "查阅合同和保密协议", 4, True, ""),
    ]),
    ("涉密会议活动管理", [
        ("涉密会议制定保密方案，会议材料登记、清退", "查阅会议保密方案和材料清退记录", 4, True, ""),
    ]),
    ("信息公开保密审查", [
        ("信息公开前履行保密审查程序（先审后发）", "抽查信息公开保密审查记录", 4, True, ""),
    ]),
    ("其他保密管理", [
        ("发生泄密事件及时报告并采取补救措施", "查阅保密事件登记和报告记录", 5, False, ""),
        ("对发现的问题落实整改", "查阅上次检查整改台账", 3, False, ""),
    ]),
]  # fmt: skip


# Version 2 (migration 0004, issue 16 §8): the registers' measured checks, each in the Art 58
# area of its probe — (area number, item text, how to check, score, evidence required, probe key).
REGISTER_ITEMS: list[tuple[int, str, str, int, bool, str]] = [
    (9, "涉密载体存放在已登记的保密柜中", "由系统按载体台账存放位置和保密柜登记计算", 4, False,
     "carriers.unregistered_places"),
    (9, "保密要害部位按期开展保密检查", "由系统按要害部位检查到期日计算", 3, False, "sites.places_past_check"),
    (7, "涉密设备和移动存储介质按期检查", "由系统按设备和介质检查到期日计算", 4, False, "devices.past_check"),
    (7, "涉密信息系统按期开展风险评估（绝密每年，机密、秘密每两年）", "由系统按信息系统风险评估到期日计算", 4,
     False, "systems.overdue_assessments"),
    (10, "外协单位的保密资质在有效期内", "由系统按保密资质有效期计算", 3, False,
     "contractors.expired_qualifications"),
    (11, "涉密会议发放的载体会后全部收回", "由系统按会议载体发放和收回记录计算", 4, False,
     "meetings.unrecovered_carriers"),
    (13, "重要数据和核心数据每年开展风险评估", "由系统按数据风险评估到期日计算", 3, False,
     "dataassets.overdue_assessments"),
]  # fmt: skip

V2_NOTE = "依据《中华人民共和国保守国家秘密法实施条例》第五十八条规定的检查内容编制；第2版增加要害部位、设备、信息系统、数据、涉密会议和外协单位登记簿的测量项。"
