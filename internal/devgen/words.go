package devgen

// Text is drawn from these lists: a small IT vocabulary, with some Russian
// so that search is exercised beyond ASCII.
var (
	// titles are a thing and a problem, in English or (a quarter) Russian.
	titles = [2]struct{ things, problems []string }{
		{
			[]string{"Printer", "Laptop", "VPN", "E-mail", "Outlook", "Wi-Fi", "Monitor", "Keyboard", "SAP",
				"Database", "Server", "Backup", "Password", "Account", "Phone", "Scanner", "Teams", "Jira", "CRM"},
			[]string{"does not work", "is slow", "crashes on start", "shows an error", "cannot connect",
				"is locked", "needs access", "lost data", "keeps restarting", "prints blank pages", "has no network"},
		},
		{
			[]string{"Принтер", "Ноутбук", "Почта", "Сервер", "Пароль", "Сканер", "Телефон", "Монитор", "1С"},
			[]string{"не работает", "тормозит", "выдаёт ошибку", "не подключается", "заблокирован", "нужен доступ"},
		},
	}
	words = []string{
		"the", "user", "reports", "that", "after", "update", "since", "yesterday", "morning", "again",
		"error", "code", "screen", "window", "cable", "driver", "reboot", "restart", "login", "token",
		"certificate", "expired", "license", "quota", "mailbox", "disk", "full", "network", "switch", "port",
		"firewall", "proxy", "timeout", "latency", "packet", "loss", "office", "floor", "building", "branch",
		"urgent", "meeting", "client", "invoice", "report", "export", "import", "file", "folder", "share",
		"пользователь", "сообщает", "после", "обновления", "ошибка", "экран", "сеть", "доступ", "срочно",
		"бухгалтерия", "отчёт", "файл", "папка", "вчера", "утром", "снова", "перезагрузка", "кабель",
	}
	groupNames = []struct {
		name string
		line int
	}{
		{"Service Desk North", 1}, {"Service Desk South", 1}, {"Service Desk VIP", 1}, {"Field Support", 1},
		{"Hardware", 1}, {"Network", 2}, {"Messaging", 2}, {"Identity & Access", 2}, {"Workplace", 2},
		{"ERP Support", 2}, {"Telephony", 2}, {"Applications", 2}, {"Database Team", 3}, {"Storage", 3},
		{"Security Operations", 3}, {"Datacenter", 3}, {"Cloud Platform", 3}, {"ERP Development", 3},
		{"Vendor: Printers", 3},
	}
	categoryTree = map[string][]string{
		"Hardware":       {"Printers", "Laptops", "Monitors", "Phones"},
		"Software":       {"Office", "ERP", "CRM", "Browser"},
		"Network":        {"VPN", "Wi-Fi", "LAN"},
		"Access":         {"Password", "New account", "Permissions"},
		"E-mail":         {"Mailbox", "Distribution list"},
		"Service orders": {"New equipment", "Software install"},
	}
	serviceNames = []string{
		"E-mail", "ERP", "CRM", "VPN", "File shares", "Printing", "Telephony", "Intranet", "HR portal", "Wi-Fi",
	}
	firstNames = []string{"Anna", "Boris", "Vera", "Dmitry", "Elena", "Fyodor", "Galina", "Igor", "Olga", "Pavel", "Мария", "Сергей"}
	lastNames  = []string{"Ivanova", "Petrov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Новикова", "Морозов"}
)
