package api

// route is one endpoint. Public routes need no bearer token.
type route struct {
	method, path string
	handler      handlerFunc
	public       bool
}

// routeTable lists every endpoint; the OpenAPI document must describe
// exactly these (checked by TestOpenAPI_DescribesEveryRoute).
func (s *server) routeTable() []route {
	return []route{
		{method: "GET", path: "/healthz", handler: s.healthz, public: true},
		{method: "GET", path: "/readyz", handler: s.readyz, public: true},
		{method: "GET", path: "/api/v1/openapi.json", handler: s.openapi, public: true},

		{method: "POST", path: "/api/v1/tickets", handler: s.createTicket},
		{method: "GET", path: "/api/v1/tickets", handler: s.listTickets},
		{method: "GET", path: "/api/v1/tickets/{id}", handler: s.getTicket},
		{method: "PATCH", path: "/api/v1/tickets/{id}", handler: s.patchTicket},
		{method: "POST", path: "/api/v1/tickets/{id}/transitions", handler: s.transitionTicket},
		{method: "POST", path: "/api/v1/tickets/{id}/comments", handler: s.commentTicket},
		{method: "POST", path: "/api/v1/tickets/{id}/escalations", handler: s.escalateTicket},
		{method: "GET", path: "/api/v1/tickets/{id}/events", handler: s.listEvents},
		{method: "POST", path: "/api/v1/tickets/{id}/attachments", handler: s.uploadAttachments},
		{method: "GET", path: "/api/v1/tickets/{id}/attachments", handler: s.listAttachments},
		{method: "GET", path: "/api/v1/attachments/{id}", handler: s.downloadAttachment},

		{method: "GET", path: "/api/v1/tickets/{id}/links", handler: s.listLinks},
		{method: "POST", path: "/api/v1/tickets/{id}/security", handler: s.markSecurity},
		{method: "POST", path: "/api/v1/tickets/{id}/security/access", handler: s.grantSecurityAccess},
		{method: "POST", path: "/api/v1/tickets/{id}/security/members", handler: s.nameSecurityMember},
		{method: "GET", path: "/api/v1/tickets/{id}/breach", handler: s.getBreach},
		{method: "PUT", path: "/api/v1/tickets/{id}/breach/awareness", handler: s.putBreachAwareness},
		{method: "PUT", path: "/api/v1/tickets/{id}/breach/regime", handler: s.putBreachRegime},
		{method: "GET", path: "/api/v1/tickets/{id}/similar", handler: s.similarTickets},
		{method: "GET", path: "/api/v1/similar-tickets", handler: s.similarToText},
		{method: "POST", path: "/api/v1/tickets/{id}/links", handler: s.createLink},
		{method: "DELETE", path: "/api/v1/tickets/{id}/links/{other}", handler: s.deleteLink},

		{method: "POST", path: "/api/v1/tickets/{id}/major-incident", handler: s.declareMajor},
		{method: "GET", path: "/api/v1/major-incidents", handler: s.listMajors},
		{method: "GET", path: "/api/v1/major-incidents/{mid}", handler: s.getMajor},
		{method: "PATCH", path: "/api/v1/major-incidents/{mid}", handler: s.patchMajor},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/children", handler: s.attachChildren},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/roles", handler: s.assignRole},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/updates", handler: s.postMajorUpdate},
		{method: "GET", path: "/api/v1/major-incidents/{mid}/timeline", handler: s.majorTimeline},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/resolution", handler: s.resolveMajor},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/close", handler: s.closeMajor},
		{method: "GET", path: "/api/v1/major-incidents/{mid}/review", handler: s.getReview},
		{method: "PATCH", path: "/api/v1/major-incidents/{mid}/review", handler: s.patchReview},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/review/action-items", handler: s.addActionItem},
		{method: "POST", path: "/api/v1/major-incidents/{mid}/status-incident", handler: s.publishMajor},
		{method: "POST", path: "/api/v1/status-incidents/{sid}/updates", handler: s.updateStatusIncident},
		{method: "GET", path: "/api/v1/status-components", handler: s.listStatusComponents},
		{method: "POST", path: "/api/v1/status-components", handler: s.createStatusComponent},
		{method: "PUT", path: "/api/v1/status-components/{cid}", handler: s.putStatusComponent},
		{method: "DELETE", path: "/api/v1/status-components/{cid}", handler: s.deleteStatusComponent},
		{method: "GET", path: "/api/v1/reports/major-incidents", handler: s.majorReport},
		{method: "GET", path: "/api/v1/articles", handler: s.listArticles},
		{method: "POST", path: "/api/v1/articles", handler: s.createArticle},
		{method: "GET", path: "/api/v1/articles/{id}", handler: s.getArticle},
		{method: "PUT", path: "/api/v1/articles/{id}", handler: s.putArticle},
		{method: "POST", path: "/api/v1/articles/{id}/publish", handler: s.publishArticle},
		{method: "POST", path: "/api/v1/articles/{id}/retire", handler: s.retireArticle},
		{method: "POST", path: "/api/v1/articles/{id}/draft", handler: s.draftArticle},
		{method: "GET", path: "/api/v1/articles/{id}/versions", handler: s.listArticleVersions},
		{method: "GET", path: "/api/v1/articles/{id}/versions/{number}", handler: s.getArticleVersion},
		{method: "GET", path: "/api/v1/articles/{id}/diff", handler: s.diffArticle},
		{method: "POST", path: "/api/v1/articles/{id}/deflections", handler: s.deflectArticle},
		{method: "GET", path: "/api/v1/tickets/{id}/articles", handler: s.listTicketArticles},
		{method: "POST", path: "/api/v1/tickets/{id}/articles", handler: s.linkTicketArticle},
		{method: "DELETE", path: "/api/v1/tickets/{id}/articles/{article_id}", handler: s.unlinkTicketArticle},
		{method: "POST", path: "/api/v1/tickets/{id}/articles/{article_id}/send", handler: s.sendTicketArticle},
		{method: "POST", path: "/api/v1/tickets/{id}/article-draft", handler: s.draftFromTicket},
		{method: "GET", path: "/api/v1/sso/rules", handler: s.listSSORules},
		{method: "POST", path: "/api/v1/sso/rules", handler: s.createSSORule},
		{method: "PUT", path: "/api/v1/sso/rules/{id}", handler: s.putSSORule},
		{method: "DELETE", path: "/api/v1/sso/rules/{id}", handler: s.deleteSSORule},
		{method: "GET", path: "/api/v1/sso/settings", handler: s.getSSOSettings},
		{method: "PUT", path: "/api/v1/sso/settings", handler: s.putSSOSettings},

		{method: "GET", path: "/api/v1/knowledge-editors", handler: s.listKnowledgeEditors},
		{method: "PUT", path: "/api/v1/knowledge-editors/{user_id}", handler: s.putKnowledgeEditor},
		{method: "DELETE", path: "/api/v1/knowledge-editors/{user_id}", handler: s.deleteKnowledgeEditor},
		{method: "GET", path: "/api/v1/reports/knowledge", handler: s.knowledgeReport},

		{method: "GET", path: "/api/v1/problems", handler: s.listProblems},
		{method: "POST", path: "/api/v1/problems", handler: s.createProblem},
		{method: "GET", path: "/api/v1/problems/{pid}", handler: s.getProblem},
		{method: "PATCH", path: "/api/v1/problems/{pid}", handler: s.patchProblem},
		{method: "POST", path: "/api/v1/problems/{pid}/state", handler: s.moveProblem},
		{method: "POST", path: "/api/v1/problems/{pid}/workaround", handler: s.publishWorkaround},
		{method: "POST", path: "/api/v1/problems/{pid}/resolution", handler: s.resolveProblem},
		{method: "GET", path: "/api/v1/problems/{pid}/broadcasts", handler: s.listBroadcasts},
		{method: "GET", path: "/api/v1/problems/{pid}/incidents", handler: s.listProblemIncidents},
		{method: "POST", path: "/api/v1/problems/{pid}/incidents", handler: s.linkProblemIncidents},
		{method: "DELETE", path: "/api/v1/problems/{pid}/incidents/{id}", handler: s.unlinkProblemIncident},
		{method: "GET", path: "/api/v1/tickets/{id}/problem", handler: s.ticketProblem},
		{method: "GET", path: "/api/v1/problem-candidates", handler: s.problemCandidates},
		{method: "GET", path: "/api/v1/reports/problems", handler: s.problemReport},
		{method: "POST", path: "/api/v1/triage/suggest", handler: s.suggestTriage},
		{method: "GET", path: "/api/v1/triage/model", handler: s.getTriageModel},
		{method: "PUT", path: "/api/v1/triage/settings", handler: s.putTriageSettings},
		{method: "POST", path: "/api/v1/triage/training", handler: s.requestTriageTraining},
		{method: "GET", path: "/api/v1/tickets/{id}/triage", handler: s.ticketTriage},
		{method: "POST", path: "/api/v1/tickets/{id}/triage/confirmations", handler: s.confirmTriage},
		{method: "GET", path: "/api/v1/reports/triage", handler: s.triageReport},

		{method: "GET", path: "/api/v1/tickets/{id}/rating", handler: s.getRating},
		{method: "PUT", path: "/api/v1/tickets/{id}/rating", handler: s.putRating},

		{method: "GET", path: "/api/v1/queues/{name}", handler: s.getQueue},
		{method: "GET", path: "/api/v1/filters", handler: s.listFilters},
		{method: "POST", path: "/api/v1/filters", handler: s.createFilter},
		{method: "GET", path: "/api/v1/filters/{id}", handler: s.getFilter},
		{method: "PUT", path: "/api/v1/filters/{id}", handler: s.putFilter},
		{method: "DELETE", path: "/api/v1/filters/{id}", handler: s.deleteFilter},
		{method: "GET", path: "/api/v1/filters/{id}/tickets", handler: s.filterTickets},
		{method: "GET", path: "/api/v1/dashboard", handler: s.getDashboard},

		{method: "POST", path: "/api/v1/users", handler: s.createUser},
		{method: "GET", path: "/api/v1/users", handler: s.listUsers},
		{method: "GET", path: "/api/v1/users/me", handler: s.getMe},
		{method: "GET", path: "/api/v1/requesters", handler: s.lookupRequesters},
		{method: "GET", path: "/api/v1/users/{id}", handler: s.getUser},
		{method: "PATCH", path: "/api/v1/users/{id}", handler: s.patchUser},
		{method: "DELETE", path: "/api/v1/users/{id}", handler: s.deleteUser},
		{method: "POST", path: "/api/v1/users/{id}/tokens", handler: s.createToken},
		{method: "GET", path: "/api/v1/users/{id}/tokens", handler: s.listTokens},
		{method: "DELETE", path: "/api/v1/users/{id}/tokens/{token_id}", handler: s.revokeToken},
		{method: "PUT", path: "/api/v1/users/{id}/password", handler: s.setPassword},

		{method: "POST", path: "/api/v1/groups", handler: s.createGroup},
		{method: "GET", path: "/api/v1/groups", handler: s.listGroups},
		{method: "GET", path: "/api/v1/groups/{id}", handler: s.getGroup},
		{method: "PATCH", path: "/api/v1/groups/{id}", handler: s.patchGroup},
		{method: "DELETE", path: "/api/v1/groups/{id}", handler: s.deleteGroup},
		{method: "GET", path: "/api/v1/groups/{id}/members", handler: s.listMembers},
		{method: "PUT", path: "/api/v1/groups/{id}/members/{user_id}", handler: s.addMember},
		{method: "DELETE", path: "/api/v1/groups/{id}/members/{user_id}", handler: s.removeMember},

		{method: "POST", path: "/api/v1/categories", handler: s.createCategory},
		{method: "GET", path: "/api/v1/categories", handler: s.listCategories},
		{method: "GET", path: "/api/v1/categories/{id}", handler: s.getCategory},
		{method: "PATCH", path: "/api/v1/categories/{id}", handler: s.patchCategory},
		{method: "DELETE", path: "/api/v1/categories/{id}", handler: s.deleteCategory},

		{method: "POST", path: "/api/v1/services", handler: s.createService},
		{method: "GET", path: "/api/v1/services", handler: s.listServices},
		{method: "GET", path: "/api/v1/services/{id}", handler: s.getService},
		{method: "PATCH", path: "/api/v1/services/{id}", handler: s.patchService},
		{method: "DELETE", path: "/api/v1/services/{id}", handler: s.deleteService},

		{method: "GET", path: "/api/v1/sla-policies", handler: s.listPolicies},
		{method: "POST", path: "/api/v1/sla-policies", handler: s.createPolicy},
		{method: "GET", path: "/api/v1/sla-policies/{id}", handler: s.getPolicy},
		{method: "PUT", path: "/api/v1/sla-policies/{id}", handler: s.putPolicy},
		{method: "DELETE", path: "/api/v1/sla-policies/{id}", handler: s.deletePolicy},
		{method: "GET", path: "/api/v1/calendars", handler: s.listCalendars},
		{method: "PUT", path: "/api/v1/calendars/{name}", handler: s.putCalendar},
		{method: "DELETE", path: "/api/v1/calendars/{name}", handler: s.deleteCalendar},

		{method: "GET", path: "/api/v1/reports/tat", handler: s.tatReport},

		{method: "GET", path: "/api/v1/outbox", handler: s.listOutbox},
		{method: "GET", path: "/api/v1/mailboxes", handler: s.listMailboxes},
		{method: "POST", path: "/api/v1/outbox/{id}/retry", handler: s.retryOutbox},
		{method: "GET", path: "/api/v1/users/{id}/preferences", handler: s.getPreferences},
		{method: "PATCH", path: "/api/v1/users/{id}/preferences", handler: s.patchPreferences},
		{method: "GET", path: "/api/v1/tickets/{id}/calls", handler: s.listCalls},
		{method: "POST", path: "/api/v1/tickets/{id}/calls", handler: s.scheduleCall},
		{method: "POST", path: "/api/v1/tickets/{id}/calls/{call_id}/cancel", handler: s.cancelCall},

		{method: "POST", path: "/api/v1/integrations", handler: s.createIntegration},
		{method: "GET", path: "/api/v1/integrations", handler: s.listIntegrations},
		{method: "GET", path: "/api/v1/integrations/{id}", handler: s.getIntegration},
		{method: "PATCH", path: "/api/v1/integrations/{id}", handler: s.patchIntegration},
		{method: "DELETE", path: "/api/v1/integrations/{id}", handler: s.deleteIntegration},
		{method: "POST", path: "/api/v1/integrations/{id}/token", handler: s.rotateIntegrationToken},
		// Authenticated by the integration's own token, not a user's.
		{method: "POST", path: "/api/v1/alerts", handler: s.receiveAlerts, public: true},

		{method: "GET", path: "/api/v1/schedules", handler: s.listSchedules},
		{method: "POST", path: "/api/v1/schedules", handler: s.createSchedule},
		{method: "GET", path: "/api/v1/schedules/{id}", handler: s.getSchedule},
		{method: "PUT", path: "/api/v1/schedules/{id}", handler: s.putSchedule},
		{method: "DELETE", path: "/api/v1/schedules/{id}", handler: s.deleteSchedule},
		{method: "GET", path: "/api/v1/schedules/{id}/on-call", handler: s.whoIsOnCall},
		{method: "GET", path: "/api/v1/schedules/{id}/shifts", handler: s.scheduleShifts},
		{method: "GET", path: "/api/v1/escalation-policies", handler: s.listEscalationPolicies},
		{method: "GET", path: "/api/v1/groups/{id}/escalation-policy", handler: s.getEscalationPolicy},
		{method: "PUT", path: "/api/v1/groups/{id}/escalation-policy", handler: s.putEscalationPolicy},
		{method: "DELETE", path: "/api/v1/groups/{id}/escalation-policy", handler: s.deleteEscalationPolicy},
		{method: "GET", path: "/api/v1/users/{id}/contact-methods", handler: s.listContactMethods},
		{method: "POST", path: "/api/v1/users/{id}/contact-methods", handler: s.createContactMethod},
		{method: "DELETE", path: "/api/v1/users/{id}/contact-methods/{method_id}", handler: s.deleteContactMethod},
		{method: "POST", path: "/api/v1/tickets/{id}/acknowledge", handler: s.acknowledgeTicket},
		{method: "POST", path: "/api/v1/tickets/{id}/pages/resolve", handler: s.resolveTicketPages},
		{method: "GET", path: "/api/v1/tickets/{id}/pages", handler: s.listTicketPages},
		{method: "GET", path: "/api/v1/page-deliveries", handler: s.listFailedPageDeliveries},
		{method: "GET", path: "/api/v1/page-links/{token}", handler: s.showPageLink, public: true},
		{method: "POST", path: "/api/v1/page-links/{token}", handler: s.actOnPageLink, public: true},

		{method: "GET", path: "/api/v1/priority-matrix", handler: s.getMatrix},
		{method: "PUT", path: "/api/v1/priority-matrix", handler: s.putMatrix},

		{method: "GET", path: "/api/v1/audit", handler: s.listAudit},
		{method: "GET", path: "/api/v1/audit/verify", handler: s.verifyAudit},
		{method: "POST", path: "/api/v1/audit/anchors", handler: s.createAuditAnchor},
	}
}

// routes registers the route table on the mux.
func (s *server) routes() {
	for _, rt := range s.routeTable() {
		h := rt.handler
		if !rt.public {
			h = s.authed(h)
		}
		s.mux.Handle(rt.method+" "+rt.path, s.serve(h))
	}
}
