import EventLog
import Foundation
import Hummingbird
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Users (invite, disable, change role) and the policy in force (readable by everyone).
extension MusterServer {
    func registerAdminPages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/admin/users", .action(.usersList)) { call in
            try await server.usersPage(call, [:])
        }
        routes.add(.post, "/admin/users/{id}/invite", .action(.userInvite)) { call in
            let identity = try call.caller()
            let invitation = try await call.lease.accounts.invite(OfficerID(try call.requirePerson()), by: identity.actor, roster: identity.roster)
            return try await server.usersPage(
                call, ["invitation": ["user": invitation.user, "code": invitation.code, "expires": Self.stamp(invitation.expiresAt)]])
        }
        routes.add(.post, "/admin/users/{id}/disable", .action(.userDisable)) { call in
            let user = OfficerID(try call.requirePerson())
            return try await server.manageFromPage(call, .disable(user: user, reason: call.form.string("reason") ?? ""))
        }
        routes.add(.post, "/admin/users/{id}/role", .action(.userChangeRole)) { call in
            guard let role = Role(rawValue: call.form.string("role") ?? "") else { throw Problem.badRequest("choose a role", field: "role") }
            return try await server.manageFromPage(
                call, .changeRole(user: OfficerID(try call.requirePerson()), role: role, reason: call.form.string("reason") ?? ""))
        }
        routes.add(.get, "/policy", .action(.policyShow)) { call in
            let services = call.lease.services
            let policy = try await call.policies().policy(on: services.today)
            let training = policy.fieldTraining
            return call.page(
                "policy", title: "Policy in force",
                [
                    "name": policy.name, "today": services.today.description,
                    "phases": training.phases.map { ["number": $0.number, "name": $0.name, "weeks": $0.minimumWeeks] },
                    "narrative":
                        "Narrative required below \(training.narrativeRequiredBelow) and above \(training.narrativeRequiredAbove); every category rated or N.O.: \(training.everyCategoryRated ? "yes" : "no")",
                    "categories": training.categories.map { category in
                        let guideline = training.guidelines[category]
                        return [
                            "label": WebCall.label(category.rawValue), "summary": guideline?.summary ?? "",
                            "anchors": (guideline?.anchors ?? [:]).sorted { $0.key < $1.key }.map { ["score": $0.key, "text": $0.value] },
                        ] as [String: Any]
                    },
                    "courses": policy.courses.map { ["title": $0.title, "months": $0.validityMonths, "warning": $0.warningDays] },
                ])
        }
    }

    func usersPage(_ call: WebCall, _ extra: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let roster = try await rosters.current(from: call.lease.services.store)
        var values = extra
        values["users"] = roster.sorted.map {
            ["id": $0.id.rawValue, "name": $0.name, "role": $0.role.rawValue, "since": $0.since.description, "disabled": $0.disabled]
        }
        values["roles"] = Role.allCases.map { ["value": $0.rawValue] }
        values["mayInvite"] = call.may(.userInvite)
        values["mayDisable"] = call.may(.userDisable)
        values["mayRole"] = call.may(.userChangeRole)
        return call.page("users", title: "Users", values, status: status)
    }

    /// Changes the roster as the caller, recorded as an event with the page's provenance.
    func manageFromPage(_ call: WebCall, _ command: RosterCommand) async throws -> Response {
        let identity = try call.caller()
        let key = call.form.string(WebCall.keyField) ?? WebCall.newKey()
        let provenance = Provenance(
            source: "web", commandID: Self.commandID(user: identity.actor.id, key: key), authentication: identity.authentication,
            requestID: call.context.requestID)
        do {
            _ = try await call.lease.services.training.manage(command, by: identity.actor, provenance: provenance)
        } catch let error as DomainError {
            return try await usersPage(call, ["error": error.message], status: .unprocessableContent)
        }
        if case .disable(let user, _) = command { try await call.lease.accounts.revokeAll(user) }
        return HTML.redirect("/admin/users?done=recorded")
    }
}
