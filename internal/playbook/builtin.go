package playbook

// The "personal data breach" playbook shipped with the product, in English
// and Russian (migration 00051 stores these two templates; the store
// suite checks the stored ones equal Builtin). Offsets run from awareness:
// the GDPR gives 72 hours to notify the supervisory authority (Art. 33),
// 152-FZ 24 hours for the first notice to Roskomnadzor and 72 hours for
// the results of the internal investigation (Art. 21 part 3.1); the tasks
// are due early enough to meet them.

const (
	hour = 60
	day  = 24 * hour
)

type builtinStep struct {
	phase     Phase
	after     int64
	en, enDoc string
	ru, ruDoc string
}

var personalDataBreach = []builtinStep{
	{PhaseDetection, 2 * hour, "Confirm that a personal data breach occurred",
		"What happened, when, how it was detected, which systems and data are involved.",
		"Подтвердить утечку персональных данных",
		"Что произошло, когда, как обнаружено, какие системы и данные затронуты."},
	{PhaseDetection, 2 * hour, "Record when the organisation became aware and which regimes apply",
		"Awareness starts the regulators' clocks; choose GDPR, 152-FZ, both or none with the reason.",
		"Записать, когда организации стало известно об утечке, и какие режимы применяются",
		"С этого момента идут сроки регуляторов; выберите GDPR, 152-ФЗ, оба или ни одного и укажите причину."},
	{PhaseContainment, 4 * hour, "Contain the breach",
		"Stop the leak: isolate affected systems, revoke exposed credentials, tokens and access.",
		"Локализовать утечку",
		"Остановить утечку: изолировать затронутые системы, отозвать раскрытые пароли, токены и доступы."},
	{PhaseContainment, 8 * hour, "Preserve evidence",
		"Collect logs, images and copies before they change; record each with its SHA-256 in the case's evidence.",
		"Сохранить доказательства",
		"Собрать журналы, образы и копии, пока они не изменились; записать каждое с SHA-256 в доказательства дела."},
	{PhaseDetection, 20 * hour, "152-FZ: send Roskomnadzor the first notice (24 hours)",
		"The incident, its presumed causes, the presumed harm to data subjects, the measures taken, the authorised contact.",
		"152-ФЗ: направить в Роскомнадзор первичное уведомление (24 часа)",
		"Инцидент, предполагаемые причины, предполагаемый вред правам субъектов, принятые меры, уполномоченное лицо."},
	{PhaseDetection, 24 * hour, "Assess the risk to data subjects",
		"Categories and approximate numbers of data subjects and records, likely consequences, whether the risk is high.",
		"Оценить риск для субъектов персональных данных",
		"Категории и примерное число субъектов и записей, вероятные последствия, высок ли риск."},
	{PhaseDetection, 48 * hour, "Decide whether to notify the supervisory authority (GDPR, 72 hours)",
		"Notify unless the breach is unlikely to result in a risk to people's rights and freedoms; record the decision and its reason.",
		"Решить, уведомлять ли надзорный орган (GDPR, 72 часа)",
		"Уведомить, если утечка может создать риск для прав и свобод людей; записать решение и его причину."},
	{PhaseDetection, 60 * hour, "GDPR: notify the supervisory authority, or record why not",
		"Nature of the breach, DPO contact, likely consequences, measures taken or proposed; a late notice gives the reasons for the delay.",
		"GDPR: уведомить надзорный орган или записать, почему нет",
		"Характер утечки, контакт DPO, вероятные последствия, принятые или предлагаемые меры; при опоздании — причины задержки."},
	{PhaseDetection, 66 * hour, "152-FZ: send Roskomnadzor the results of the internal investigation (72 hours)",
		"The investigation's results and, where known, the persons whose actions caused the incident.",
		"152-ФЗ: направить в Роскомнадзор результаты внутреннего расследования (72 часа)",
		"Результаты внутреннего расследования и, если известны, лица, действия которых стали причиной инцидента."},
	{PhaseContainment, 72 * hour, "Notify the data subjects, or record the decision not to",
		"Without undue delay where the risk to them is high; otherwise record the ground (GDPR Art. 34(3)).",
		"Уведомить субъектов персональных данных или записать решение не уведомлять",
		"Без неоправданной задержки, если риск для них высок; иначе записать основание (GDPR, ст. 34(3))."},
	{PhaseEradication, 5 * day, "Remove the cause",
		"Fix the vulnerability, remove malicious access, accounts and software.",
		"Устранить причину",
		"Закрыть уязвимость, удалить вредоносный доступ, учётные записи и программы."},
	{PhaseRecovery, 7 * day, "Restore systems and data",
		"From clean sources; confirm they work and the data is complete.",
		"Восстановить системы и данные",
		"Из проверенных источников; убедиться, что они работают и данные полны."},
	{PhaseRecovery, 14 * day, "Monitor for renewed activity and misuse of the data",
		"Watch the affected systems and accounts, and signs of the leaked data being used.",
		"Наблюдать за повторной активностью и использованием данных",
		"Следить за затронутыми системами и учётными записями и за признаками использования утёкших данных."},
	{PhasePostIncident, 14 * day, "Complete the breach register entry",
		"Facts, effects and remedial action (GDPR Art. 33(5)), notified or not.",
		"Заполнить запись в реестре утечек",
		"Факты, последствия и принятые меры (GDPR, ст. 33(5)), уведомляли или нет."},
	{PhasePostIncident, 30 * day, "Hold a lessons-learned review",
		"What happened, what worked, what to change; record the improvements and who owns them.",
		"Провести разбор и извлечь уроки",
		"Что произошло, что сработало, что изменить; записать улучшения и ответственных."},
}

// Builtin returns the personal data breach playbook in English and Russian.
func Builtin() []*Template {
	en := &Template{Name: "Personal data breach", Lang: "en", Active: true,
		Description: "NIST SP 800-61 phases for a breach of personal data, with the GDPR's and 152-FZ's notification deadlines."}
	ru := &Template{Name: "Утечка персональных данных", Lang: "ru", Active: true,
		Description: "Этапы NIST SP 800-61 для утечки персональных данных со сроками уведомления по GDPR и 152-ФЗ."}
	for _, s := range personalDataBreach {
		en.Steps = append(en.Steps, Step{Phase: s.phase, Title: s.en, Description: s.enDoc, DueAfterMinutes: s.after})
		ru.Steps = append(ru.Steps, Step{Phase: s.phase, Title: s.ru, Description: s.ruDoc, DueAfterMinutes: s.after})
	}
	return []*Template{en, ru}
}
