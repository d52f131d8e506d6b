import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TrainingDomain
import TrainingServices

/// The web app: server-rendered pages over the same services and permission table as the API.
extension MusterServer {
    func registerWeb(_ routes: WebRoutes) {
        let server = self
        routes.router.get("/static/{file}") { _, context in
            guard let name = context.parameters.get("file"), let asset = server.web.assets[name] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        routes.add(.get, "/", .open) { call in
            guard let identity = call.identity else { return HTML.redirect("/signin") }
            return HTML.redirect(WebNavigation.home(identity.actor.role, user: identity.actor.id.rawValue))
        }
        registerSessionPages(routes)
        registerAccountPages(routes)
        registerActions(routes)
        registerFTOPages(routes)
        registerTraineePages(routes)
        registerSergeantPages(routes)
        registerChiefPages(routes)
        registerDashboard(routes)
        registerReviewPages(routes)
        registerAdminPages(routes)
    }

    /// One POST per recording command on a trainee's record, for the small forms on the pages
    /// (acknowledge, refuse, rebut, sign off a phase, request a release, concur…). Success goes
    /// back to the page the form was on; a refusal shows the rule's words.
    func registerActions(_ routes: WebRoutes) {
        for operation in CommandOperation.all where operation.record == .trainee {
            routes.add(.post, "/trainees/{id}/act/\(operation.action.rawValue)", .action(operation.action)) { call in
                let person = try call.requirePerson()
                let back = HTML.safeLocal(call.form.string("_back")) ?? "/trainees/\(person)"
                do {
                    _ = try await call.record(operation.action, on: person)
                } catch let error as DomainError {
                    return call.page(
                        "refused", title: "Refused",
                        ["rule": error.rule.rawValue, "message": error.message, "back": back], status: .unprocessableContent)
                }
                let mark = back.contains("?") ? "&" : "?"
                return HTML.redirect(back + mark + "done=" + (Permissions.signatures.contains(operation.action) ? "signed" : "recorded"))
            }
        }
    }
}
