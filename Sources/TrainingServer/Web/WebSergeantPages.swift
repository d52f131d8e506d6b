import Foundation
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// The training sergeant's queue, and a trainee's file: board row, DOR tracking sheet (server
/// SVG), and the forms for remedial training, phase sign-off, attestation and solo release.
extension MusterServer {
    func registerSergeantPages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/sergeant", .action(.boardQueue)) { call in
            let queue = try await call.lease.readModels.sergeantQueue(withinDays: 14, limit: 200)
            let trainees = try await call.lease.readModels.traineesInFieldTraining(limit: 101)
            return call.page(
                "sergeant", title: "Training sergeant",
                [
                    "queue": queue.map {
                        [
                            "trainee": $0.trainee ?? "", "name": $0.name, "item": $0.item, "due": $0.due, "overdue": $0.daysLeft < 0,
                            "days": $0.daysLeft,
                        ]
                    },
                    "emptyQueue": queue.isEmpty,
                    "more": trainees.count > 100,
                    "trainees": trainees.prefix(100).map {
                        ["id": $0.trainee, "name": $0.name, "phase": $0.phase.map(String.init) ?? "-", "ftos": $0.ftos.joined(separator: ", ")]
                    },
                ])
        }
        routes.add(.get, "/trainees/{id}", .action(.readTrainee), view: "trainee") { call in
            let person = try call.requirePerson()
            let readModels = call.lease.readModels
            let view = try await readModels.trainee(person)
            try await server.logRead(
                call.lease, call.identity, person: person, view: "trainee", result: view == nil ? "not-found" : "ok", call.context)
            guard let view else { throw Problem.notFound("no trainee \(person) in the read models (or the projector is behind)") }
            let sheet = try await readModels.trackingSheet(person)
            let policy = try await call.policies().policy(on: call.lease.services.today).fieldTraining
            let back = "/trainees/\(person)"
            var values: [String: Any] = [
                "trainee": person, "name": view.name, "badge": view.badge, "stage": view.stage, "phase": view.phase.map(String.init) ?? "-",
                "phaseNumber": view.phase ?? 0, "daysInPhase": view.daysInPhase.map(String.init) ?? "-", "ftos": view.ftos.joined(separator: ", "),
                "lastDOR": view.lastDOR ?? "none", "dorCount": view.dorCount, "remedial": view.openRemedial ?? "",
                "blockers": view.blockers.map { ["text": $0] }, "hasBlockers": !view.blockers.isEmpty,
                "attention": view.attention.map { ["text": $0] },
                "expectedSolo": view.expectedSolo ?? "-", "soloCleared": view.soloCleared ?? "", "back": back,
                "sheets": (sheet?.phases ?? []).reversed().map { ["phase": $0.phase, "svg": SVG.trackingSheet($0), "rows": Self.sheetRows($0)] },
                "categories": policy.categories.map { ["name": $0.rawValue, "label": WebCall.label($0.rawValue)] },
                "mayReports": call.may(.readDORs, on: person), "mayHistory": call.may(.readHistory, on: person),
                "mayDOR": call.may(.fileDailyObservation, on: person),
            ]
            let forms: [(String, Permissions.Action)] = [
                ("maySignOff", .completePhase), ("mayRelease", .requestSoloRelease), ("mayRemedial", .assignRemedial),
                ("mayAttest", .attestCompetency), ("mayConcur", .concurInSoloRelease),
            ]
            for (name, action) in forms where call.may(action, on: person) {
                values[name] = true
                values[name + "Key"] = WebCall.newKey()
            }
            return call.page("trainee", title: view.name, values)
        }
    }

    /// The tracking sheet's numbers, for the table under the chart.
    static func sheetRows(_ phase: ReadModelQueries.TrackingSheet.Phase) -> [[String: Any]] {
        phase.categories.map { row in
            [
                "category": WebCall.label(row.category), "ratings": row.ratings.map { $0.isEmpty ? "–" : $0 }.joined(separator: " "),
                "mean": row.meanTimes100.map { String(format: "%.2f", Double($0) / 100) } ?? "-", "trend": row.trend,
            ]
        }
    }
}
