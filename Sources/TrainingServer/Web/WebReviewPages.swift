import EventLog
import EventLogPostgres
import Foundation
import Hummingbird
import TrainingDomain
import TrainingProjections
import TrainingRecords
import TrainingServices

/// The compliance reviewer's pages: a person's timeline (corrections beside what they amend,
/// late entries marked), status as of a business date beside status as known at a recorded
/// date, the audit state, who read the record; and the printable completion record.
extension MusterServer {
    func registerReviewPages(_ routes: WebRoutes) {
        let server = self
        routes.add(.get, "/review", .action(.boardPipeline)) { call in
            if let id = call.query("trainee"), OfficerID(id).isWellFormedUserID { return HTML.redirect("/trainees/\(id)/timeline") }
            let trainees = try await call.lease.readModels.traineesInFieldTraining(limit: 200)
            return call.page("review", title: "Records", ["trainees": trainees.map { ["id": $0.trainee, "name": $0.name] }])
        }
        routes.add(.get, "/trainees/{id}/timeline", .action(.readHistory), view: "history") { call in
            let person = try call.requirePerson()
            let services = call.lease.services
            let reference = FileReference.trainee(TraineeID(person))
            // The stream is read and decoded once for the history and both status columns.
            let loaded = try await services.replay.load(reference)
            let lines = Replay.history(loaded)
            try await server.logRead(
                call.lease, call.identity, person: person, view: "history", result: lines.isEmpty ? "not-found" : "ok", call.context)
            guard !lines.isEmpty else { throw Problem.notFound("no trainee \(person)") }
            var values: [String: Any] = ["trainee": person, "entries": Self.timeline(lines)]
            let today = services.today
            let asOf = call.query("asOf").flatMap { Day($0) } ?? today
            let knownAt = call.query("knownAt").flatMap { Day($0) } ?? today
            values["asOf"] = asOf.description
            values["knownAt"] = knownAt.description
            // The policy stream is read once for both columns.
            let policies = try await call.policies()
            let byBusiness = StatusView(Replay.status(loaded, asOf: asOf), policy: policies.policy(on: asOf), on: asOf)
            let known = StatusView(
                Replay.status(loaded, knownAt: EntryMapping.date(knownAt.adding(days: 1)).addingTimeInterval(-0.000001)),
                policy: policies.policy(on: knownAt), on: knownAt)
            values["status"] = [
                Self.statusColumn("As of \(asOf) (business date)", byBusiness), Self.statusColumn("As known at \(knownAt) (recorded)", known),
            ]
            values["name"] = byBusiness.name ?? known.name ?? person
            if call.may(.accessLogRead) {
                let reads = try await call.lease.accessLog.latest(person: person, limit: 100)
                values["reads"] = reads.map {
                    ["at": Self.stamp($0.readAt), "reader": $0.reader, "role": $0.readerRole, "view": $0.view, "result": $0.result]
                }
                values["mayReads"] = true
            }
            if call.may(.auditVerify) {
                values["mayAudit"] = true
                try await server.auditState(call, into: &values)
            }
            return call.page("timeline", title: "Timeline", values)
        }
        routes.add(.get, "/trainees/{id}/completion", .action(.readHistory), view: "completion") { call in
            let person = try call.requirePerson()
            let services = call.lease.services
            let file = try await services.training.load(.trainee(TraineeID(person))).file
            try await server.logRead(
                call.lease, call.identity, person: person, view: "completion", result: file.profile == nil ? "not-found" : "ok", call.context)
            let day = file.fieldTraining?.soloClearance?.on ?? services.today
            let policy = try await call.policies().policy(on: day)
            let coordinator = try await services.training.roster().coordinator?.user
            guard let record = CompletionRecord.of(file, policy: policy, coordinator: coordinator) else {
                throw Problem.notFound("\(person) has not started field training; there is no completion record yet")
            }
            func signature(_ signature: CompletionRecord.Signature?) -> Any {
                guard let signature else { return false }
                return ["by": signature.by, "role": signature.role, "on": signature.on.description, "statement": signature.statement]
            }
            let values: [String: Any] = [
                "record": [
                    "trainee": record.trainee, "name": record.name, "badge": record.badge, "agency": record.agency, "program": record.program,
                    "coordinator": record.coordinator ?? "", "started": record.fieldTrainingStarted.description,
                    "orientation": record.orientation ?? "not recorded",
                    "phases": record.phases.map {
                        [
                            "number": $0.number, "name": $0.name, "started": $0.started.description, "completed": $0.completed?.description ?? "open",
                            "ftos": $0.ftos.joined(separator: ", "),
                            "evaluated": Self.evaluation($0),
                        ]
                    },
                    "attestation": signature(record.attestation), "request": signature(record.releaseRequest),
                    "concurrence": signature(record.concurrence),
                    "checklist": record.checklist.map { ["text": $0] }, "missing": record.missing.map { ["text": $0] }, "complete": record.isComplete,
                    "printed": services.today.description,
                ]
            ]
            return call.page("completion", title: "Field training completion record", values)
        }
    }

    /// The audit state as stored: the newest seal (one row) and the last verification this
    /// server ran (kept in memory), so the page never re-reads the whole log on load; with
    /// `?verify=1` it verifies now (slow on a large log) and keeps the result.
    func auditState(_ call: WebCall, into values: inout [String: Any]) async throws {
        if call.query("verify") != nil {
            let report = try await configuration.database.verifyAudit(verifyingKey: configuration.sealPublicKey)
            await verifications.record(report, by: try call.caller().actor.id.rawValue)
        }
        if let latest = try await configuration.database.latestSeal() {
            let seal = latest.summary
            values["seal"] = [
                "id": "\(seal.id)", "at": Self.stamp(seal.sealedAt), "events": "\(seal.events)", "streams": "\(seal.streams)",
                "horizon": latest.horizon ?? "", "key": seal.keyID ?? "", "hash": String(seal.hash.prefix(16)),
            ]
        }
        if let last = await verifications.last {
            let report = last.report
            values["verified"] = [
                "ok": report.ok, "at": Self.stamp(last.at), "by": last.by, "events": report.events, "seals": report.seals,
                "signatures": report.signaturesChecked,
                "seal": report.seal.map { "seal \($0.id) of \(Self.stamp($0.sealedAt))" } ?? "no seal yet",
                "findings": report.findings.prefix(20).map { ["text": $0.description] },
            ]
        }
    }

    static func evaluation(_ phase: CompletionRecord.Phase) -> String {
        guard let by = phase.evaluatedBy else { return "-" }
        return "\(by) on \(phase.evaluatedOn?.description ?? "-")" + (phase.recommendation.map { " (\($0))" } ?? "")
    }

    /// The history with each correction or retraction shown beside the entry it amends.
    static func timeline(_ lines: [Replay.Line]) -> [[String: Any]] {
        var amendments: [String: [Replay.Line]] = [:]
        for line in lines {
            guard let amends = line.amends else { continue }
            let words = amends.split(separator: " ")
            if words.count > 1 { amendments[String(words[1].trimmingCharacters(in: [":"])), default: []].append(line) }
        }
        return lines.map { line in
            var entry: [String: Any] = [
                "entry": line.entry, "type": line.type, "occurred": line.occurredOn, "recorded": stamp(line.recordedAt), "actor": line.actor,
                "role": line.role, "authentication": line.authentication ?? "-", "source": line.source ?? "-", "data": line.data,
                "late": line.lateByDays > 0, "lateDays": line.lateByDays, "amendedBy": line.amendedBy ?? "", "amends": line.amends ?? "",
                "document": line.document ?? "", "unreadable": line.unreadable ?? "",
            ]
            if let changes = amendments[line.entry] {
                entry["corrections"] = changes.map {
                    ["entry": $0.entry, "amends": $0.amends ?? "", "data": $0.data, "recorded": stamp($0.recordedAt), "actor": $0.actor]
                }
            }
            return entry
        }
    }

    static func statusColumn(_ heading: String, _ status: StatusView) -> [String: Any] {
        [
            "heading": heading, "stage": status.stage, "phase": status.phase.map(String.init) ?? "-", "ready": status.readyForSoloPatrol,
            "gates": status.soloGates.map { ["name": $0.name, "passed": $0.passed, "detail": $0.detail] },
            "remedial": status.openRemedial.joined(separator: "; "),
        ]
    }

    /// `2026-05-04T13:02:11Z` (a format style is a value: no formatter is made per call, which
    /// cost the timeline a few milliseconds on a long record).
    static func stamp(_ date: Date) -> String { stampStyle.format(date) }
    static let stampStyle = Date.ISO8601FormatStyle()
}
