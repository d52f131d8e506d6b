import Foundation
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingServices

/// The FTO's day: my trainees and what is due, and the Daily Observation Report form.
extension MusterServer {
    func registerFTOPages(_ routes: WebRoutes) {
        routes.add(.get, "/fto", .action(.fileDailyObservation)) { call in
            let me = try call.caller().actor.id.rawValue
            let today = call.lease.services.today.description
            let trainees = try await call.lease.readModels.traineesInFieldTraining(fto: me, limit: 200)
            let rows: [[String: Any]] = trainees.map { line in
                [
                    "id": line.trainee, "name": line.name, "badge": line.badge, "phase": line.phase.map(String.init) ?? "-",
                    "lastDOR": line.lastDOR ?? "none yet", "dorDue": line.lastDOR != today, "unsigned": line.unsignedDORs,
                    "hasUnsigned": line.unsignedDORs > 0,
                    "remedial": line.openRemedial ?? "", "attention": line.attention.joined(separator: "; "),
                ]
            }
            return call.page("fto", title: "Today", ["today": today, "trainees": rows, "none": rows.isEmpty])
        }
        routes.add(.get, "/trainees/{id}/dor", .action(.fileDailyObservation)) { call in
            try await call.dorForm(DORDraft(key: WebCall.newKey(), date: call.lease.services.today.description))
        }
        routes.add(.post, "/trainees/{id}/dor", .action(.fileDailyObservation)) { call in
            let person = try call.requirePerson()
            var draft = DORDraft(
                key: call.form.string(WebCall.keyField) ?? WebCall.newKey(), date: call.form.string("date") ?? call.lease.services.today.description,
                ratings: Dictionary(call.form.prefixed("rating."), uniquingKeysWith: { first, _ in first }),
                narrative: call.form.raw("narrative") ?? "")
            do {
                _ = try await call.record(.fileDailyObservation, on: person)
                return HTML.redirect("/fto?done=signed")
            } catch let error as DomainError {
                draft.errors = DORDraft.fields(error)
            } catch let error as AccountError {
                draft.errors = ["_password": Problem.account(error).detail]
            } catch let problem as Problem where problem.status.code < 500 && problem.status != .unauthorized {
                draft.errors = [problem.kind == "confirmation-required" ? "_password" : problem.field ?? "_top": problem.detail]
            }
            // Refused: nothing was recorded; the corrected report is a new submission.
            draft.key = WebCall.newKey()
            return try await call.dorForm(draft, status: .unprocessableContent)
        }
    }
}

/// What the FTO typed, kept when the rules refuse it, with the errors by field (`_top` for
/// the ones that name no field).
struct DORDraft {
    var key: String
    var date: String
    var ratings: [String: String] = [:]
    var narrative = ""
    var errors: [String: String] = [:]

    /// Puts the domain's message beside the field it names: the narrative, the categories it
    /// names, else at the top.
    static func fields(_ error: DomainError) -> [String: String] {
        switch error.rule {
        case .narrativeRequired: return ["narrative": error.message]
        case .futureDate, .shiftBeforePhase, .duplicateDOR: return ["date": error.message]
        default:
            var errors: [String: String] = [:]
            // Only the words that are categories of the form show (beside that category).
            for word in error.message.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                errors["rating." + word] = error.message
            }
            errors["_top"] = error.message
            return errors
        }
    }
}

extension WebCall {
    static let ratingChoices = ["1", "2", "3", "4", "5", "6", "7", Rating.notObservedText, Rating.notRespondingText]

    /// The DOR form: every category of the policy in force, with its guideline (what 1, 4 and 7
    /// look like), 1–7 / N.O. / NRT, the narrative, and the password that signs it.
    func dorForm(_ draft: DORDraft, status: HTTPResponse.Status = .ok) async throws -> Response {
        let person = try requirePerson()
        let services = lease.services
        let policy = try await policies().policy(on: Day(draft.date) ?? services.today).fieldTraining
        let trainee = try await lease.readModels.trainee(person)
        let categories: [[String: Any]] = policy.categories.map { category in
            let name = category.rawValue
            let guideline = policy.guidelines[category]
            let chosen = draft.ratings[name]
            return [
                "name": name, "label": Self.label(name), "summary": guideline?.summary ?? "",
                "anchors": (guideline?.anchors ?? [:]).sorted { $0.key < $1.key }.map { ["score": $0.key, "text": $0.value] },
                "options": Self.ratingChoices.map { value in
                    [
                        "value": value, "label": value == Rating.notObservedText ? "N.O." : value, "checked": chosen == value,
                        "id": "r-\(name)-\(value.replacingOccurrences(of: "/", with: ""))",
                    ]
                },
                "error": draft.errors["rating." + name] ?? "",
            ]
        }
        let values: [String: Any] = [
            "trainee": person, "traineeName": trainee?.name ?? person, "phase": trainee?.phase.map(String.init) ?? "-",
            "key": draft.key, "date": draft.date, "narrative": draft.narrative, "categories": categories,
            "narrativeRule":
                "A narrative is required for ratings below \(policy.narrativeRequiredBelow), above \(policy.narrativeRequiredAbove), and NRT.",
            "topError": draft.errors["_top"] ?? "", "dateError": draft.errors["date"] ?? "", "narrativeError": draft.errors["narrative"] ?? "",
            "passwordError": draft.errors["_password"] ?? "", "hasErrors": !draft.errors.isEmpty,
        ]
        return page("dor", title: "Daily Observation Report", values, status: status)
    }

    /// `report_writing` → `Report writing`.
    static func label(_ name: String) -> String {
        let spaced = name.replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
