import EventLog
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Every recording command the API offers: its route, its permission, its fields, and how a
/// checked body becomes the domain's command. The same commands as the CLI's, in JSON; the
/// domain decides each one.
struct CommandOperation: Sendable {
    enum Record: Sendable {
        case trainee, officer
        var prefix: String {
            switch self {
            case .trainee: "/api/trainees/{id}/"
            case .officer: "/api/officers/{id}/"
            }
        }
    }

    /// What a command is made from besides its body.
    struct Input: Sendable {
        var actor: Actor
        /// The business day: the body's `date`, else today.
        var day: Day
        var reference: FileReference
        var services: Services
    }

    var action: Permissions.Action
    var record: Record
    var path: String
    var summary: String
    var fields: [Field]
    var make: @Sendable (Body, Input) async throws -> TrainingCommand

    var fullPath: String { record.prefix + path }

    /// Every command takes the business day it happened on.
    var allFields: [Field] { fields + [.optional("date", .day, "the day it happened, YYYY-MM-DD (default: today)")] }
}

extension CommandOperation {
    static let text = FieldType.string(max: 20_000)
    static let line = FieldType.string(max: 500)

    static let all: [CommandOperation] = academy + fieldTraining + probation + records

    static let academy: [CommandOperation] = [
        .init(
            action: .enrollInAcademy, record: .trainee, path: "academy/enroll", summary: "Enroll the recruit in an academy class.",
            fields: [
                .required("classNumber", line, "class number"), .required("academy", line, "academy name"),
                .required("start", .day, "class start date"), .optional("source", line, "where the record comes from (an import)"),
            ]
        ) { body, input in
            .enrollInAcademy(
                classNumber: try body.require("classNumber"), academy: try body.require("academy"), start: try body.requireDay("start"),
                source: body.string("source"))
        },
        .init(
            action: .recordAcademyTest, record: .trainee, path: "academy/test", summary: "Record an academy test result.",
            fields: [
                .required("domain", line, "learning domain, e.g. \"LD 20\""), .required("test", line, "test within the domain, e.g. written"),
                .required("passed", .boolean, "whether the recruit passed"), .optional("score", .number(0...100), "score 0–100"),
                .required("instructor", line, "instructor"), .optional("source", line, "source of an imported result"),
            ]
        ) { body, input in
            .recordAcademyTest(
                test: AcademyTestKey(domain: try body.require("domain"), test: try body.require("test")), passed: body.bool("passed") ?? false,
                score: body.double("score"), instructor: try body.require("instructor"), on: input.day, source: body.string("source"))
        },
        .init(action: .graduateAcademy, record: .trainee, path: "academy/graduate", summary: "Record academy graduation.", fields: []) { _, input in
            .graduateAcademy(on: input.day)
        },
        .init(
            action: .recycleAcademy, record: .trainee, path: "academy/recycle", summary: "Recycle the recruit to a later class.",
            fields: [.required("toClass", line, "the later class"), .required("reason", text, "why")]
        ) { body, input in
            .recycleAcademy(toClass: try body.require("toClass"), reason: try body.require("reason"), on: input.day)
        },
    ]

    static let fieldTraining: [CommandOperation] = [
        .init(action: .startFieldTraining, record: .trainee, path: "ft/start", summary: "Start field training.", fields: []) { _, input in
            .startFieldTraining(on: input.day)
        },
        .init(
            action: .assignFTO, record: .trainee, path: "ft/assign-fto", summary: "Assign an FTO to the current phase.",
            fields: [.required("fto", .identifier, "the FTO's user id"), .required("phase", .integer(1...52), "phase number")]
        ) { body, input in
            .assignFTO(fto: OfficerID(try body.require("fto")), phase: try body.requireInt("phase"), on: input.day)
        },
        .init(
            action: .reportSupervisorWeekly, record: .trainee, path: "ft/weekly",
            summary: "File the supervisor's weekly report (`date` is the week's end).",
            fields: [
                .required("summary", text, "summary of the week"), .optional("strengths", .categories, "categories the trainee did well in"),
                .optional("needsImprovement", .categories, "categories that need improvement"),
                .optional("plan", text, "the plan for the coming week"),
            ]
        ) { body, input in
            .reportSupervisorWeekly(
                weekEnding: input.day,
                report: WeeklyReportContent(
                    summary: try body.require("summary"), strengths: body.categories("strengths"),
                    needsImprovement: body.categories("needsImprovement"), plan: body.string("plan") ?? ""))
        },
        .init(
            action: .recordOrientation, record: .trainee, path: "ft/orientation",
            summary: "Record the agency orientation before field training (`date` is its last day).",
            fields: [.required("from", .day, "its first day"), .required("topics", .categories, "topics covered (policy, geography, equipment…)")]
        ) { body, input in
            .recordOrientation(from: try body.requireDay("from"), to: input.day, topics: body.categories("topics").map(\.rawValue))
        },
        .init(
            action: .acknowledgeTask, record: .trainee, path: "ft/ack-task",
            summary: "The trainee acknowledges a checklist task the FTO signed off (a signature).",
            fields: [.required("task", line, "the checklist task")]
        ) { body, input in
            .acknowledgeTask(task: try body.require("task"), on: input.day)
        },
        .init(
            action: .reportEndOfPhase, record: .trainee, path: "ft/end-of-phase",
            summary: "The phase's FTO files the End of Phase Report (a signature).",
            fields: [.required("phase", .integer(1...52), "phase number")] + phaseReport
        ) { body, input in
            .reportEndOfPhase(phase: try body.requireInt("phase"), fto: input.actor.id, report: try makePhaseReport(body), on: input.day)
        },
        .init(
            action: .evaluatePhase, record: .trainee, path: "ft/evaluate-phase",
            summary: "An FTO who did not train the phase, or a sergeant, files the Phase Evaluation Report (a signature).",
            fields: [.required("phase", .integer(1...52), "phase number")] + phaseReport
        ) { body, input in
            .evaluatePhase(phase: try body.requireInt("phase"), evaluator: input.actor.id, report: try makePhaseReport(body), on: input.day)
        },
        .init(
            action: .fileDailyObservation, record: .trainee, path: "ft/dor",
            summary: "File a Daily Observation Report as the FTO (a signature: own session, confirmed within minutes).",
            fields: [
                .required("ratings", .ratings, "ratings by category: 1–7, \"N/O\" or \"NRT\""),
                .optional("narrative", text, "narrative (required for ratings below 4, above 5, or NRT)"),
            ]
        ) { body, input in
            .fileDailyObservation(
                fto: input.actor.id, shiftDate: input.day, ratings: body.ratings("ratings"), narrative: body.string("narrative") ?? "")
        },
        .init(
            action: .acknowledgeDailyObservation, record: .trainee, path: "ft/ack",
            summary: "The trainee signs a DOR, or (refused) an FTO or sergeant notes the refusal (a signature).",
            fields: [
                .required("entry", .identifier, "the DOR's entry id"), .optional("refused", .boolean, "record a refusal to sign (needs a note)"),
                .optional("note", line, "note, e.g. who witnessed the refusal"),
            ]
        ) { body, input in
            .acknowledgeDailyObservation(
                report: EntryID(try body.require("entry")), signed: !(body.bool("refused") ?? false), note: body.string("note"), on: input.day)
        },
        .init(
            action: .fileRebuttal, record: .trainee, path: "ft/rebut", summary: "The trainee files a written rebuttal to an entry.",
            fields: [.required("entry", .identifier, "the entry rebutted"), .required("text", text, "the rebuttal")]
        ) { body, input in
            .fileRebuttal(entry: EntryID(try body.require("entry")), text: try body.require("text"), on: input.day)
        },
        .init(
            action: .signOffTask, record: .trainee, path: "ft/task", summary: "Sign off a checklist task seen by the FTO.",
            fields: [.required("task", line, "checklist item, e.g. felony_vehicle_stop"), .optional("call", line, "call or case reference")]
        ) { body, input in
            .signOffTask(task: try body.require("task"), fto: input.actor.id, callReference: body.string("call"), on: input.day)
        },
        .init(
            action: .assignRemedial, record: .trainee, path: "ft/remedial", summary: "Assign remedial training.",
            fields: [
                .required("category", .identifier, "category to remediate"), .required("due", .day, "due date"), .required("plan", text, "the plan"),
            ]
        ) { body, input in
            .assignRemedial(
                category: Category(try body.require("category")), due: try body.requireDay("due"), plan: try body.require("plan"), on: input.day)
        },
        .init(
            action: .completeRemedial, record: .trainee, path: "ft/remedial/complete", summary: "Complete a remedial item.",
            fields: [.required("remedial", .identifier, "the remedial item's entry id"), .optional("notes", text, "notes")]
        ) { body, input in
            .completeRemedial(remedial: EntryID(try body.require("remedial")), notes: body.string("notes") ?? "", on: input.day)
        },
        .init(
            action: .failRemedial, record: .trainee, path: "ft/remedial/fail", summary: "Record a remedial item as failed.",
            fields: [.required("remedial", .identifier, "the remedial item's entry id"), .optional("notes", text, "notes")]
        ) { body, input in
            .failRemedial(remedial: EntryID(try body.require("remedial")), notes: body.string("notes") ?? "", on: input.day)
        },
        .init(
            action: .extendPhase, record: .trainee, path: "ft/extend-phase", summary: "Extend the current phase.",
            fields: [
                .required("phase", .integer(1...52), "phase number"), .required("weeks", .integer(1...52), "weeks added"),
                .required("reason", text, "why"),
            ]
        ) { body, input in
            .extendPhase(phase: try body.requireInt("phase"), weeks: try body.requireInt("weeks"), reason: try body.require("reason"), on: input.day)
        },
        .init(
            action: .completePhase, record: .trainee, path: "ft/complete-phase", summary: "Sign off a phase (training sergeant; a signature).",
            fields: [.required("phase", .integer(1...52), "phase number"), .optional("earlyReason", text, "why it ends before its minimum length")]
        ) { body, input in
            .completePhase(phase: try body.requireInt("phase"), on: input.day, earlyCompletionReason: body.string("earlyReason"))
        },
        .init(
            action: .attestCompetency, record: .trainee, path: "ft/attest", summary: "The FTO attests to the trainee's competence (a signature).",
            fields: [.required("statement", text, "attestation statement")]
        ) { body, input in
            .attestCompetency(fto: input.actor.id, statement: try body.require("statement"), on: input.day)
        },
        .init(
            action: .requestSoloRelease, record: .trainee, path: "ft/request-release",
            summary: "Ask the chief (or a designee) to concur in a release to solo patrol (training sergeant; a signature).",
            fields: [.required("statement", text, "release statement")]
        ) { body, input in
            .requestSoloRelease(on: input.day, releaseStatement: try body.require("statement"))
        },
        .init(
            action: .concurInSoloRelease, record: .trainee, path: "ft/concur",
            summary: "Concur in a requested release to solo patrol (chief or designee, from their own session; a signature).", fields: []
        ) { _, input in
            .concurInSoloRelease(on: input.day)
        },
        .init(
            action: .declineSoloRelease, record: .trainee, path: "ft/decline",
            summary: "Decline a requested release to solo patrol (chief or designee; a signature).", fields: [.required("reason", text, "why")]
        ) { body, input in
            .declineSoloRelease(reason: try body.require("reason"), on: input.day)
        },
    ]

    static let probation: [CommandOperation] = [
        .init(action: .startProbation, record: .trainee, path: "probation/start", summary: "Start probation (`date` is its start).", fields: []) {
            _, input in .startProbation(start: input.day)
        },
        .init(
            action: .reviewProbation, record: .trainee, path: "probation/review", summary: "Record a probation review.",
            fields: [
                .required("interval", .integer(1...120), "months into probation (3, 6, 9, 12)"),
                .required("outcome", .choice(ReviewOutcome.allCases.map(\.rawValue)), "the outcome"), .required("notes", text, "notes"),
            ]
        ) { body, input in
            guard let outcome = ReviewOutcome(rawValue: try body.require("outcome")) else {
                throw Problem.badRequest("unknown outcome", field: "outcome")
            }
            return .reviewProbation(interval: try body.requireInt("interval"), outcome: outcome, notes: try body.require("notes"), on: input.day)
        },
        .init(
            action: .extendProbation, record: .trainee, path: "probation/extend", summary: "Extend probation.",
            fields: [.required("newEnd", .day, "the new end date"), .required("reason", text, "why")]
        ) { body, input in
            .extendProbation(newEnd: try body.requireDay("newEnd"), reason: try body.require("reason"), on: input.day)
        },
        .init(action: .completeProbation, record: .trainee, path: "probation/complete", summary: "Complete probation.", fields: []) { _, input in
            .completeProbation(on: input.day)
        },
    ]

    static let course: [Field] = [
        .required("type", .identifier, "course type, e.g. use_of_force"), .required("title", line, "course title"),
        .required("hours", .number(0...10_000), "hours"), .required("provider", line, "provider"),
        .optional("instructor", line, "instructor who reviewed it (required for implicit bias)"),
        .optional("certificate", line, "certificate reference"),
    ]

    static func makeCourse(_ body: Body, _ input: Input) throws -> TrainingCommand {
        .recordCourse(
            courseType: Category(try body.require("type")), title: try body.require("title"), hours: body.double("hours") ?? 0,
            provider: try body.require("provider"), instructor: body.string("instructor"), completedOn: input.day,
            certificateReference: body.string("certificate"))
    }

    static let phaseReport: [Field] = [
        .required("ratings", .ratings, "ratings by category: 1–7, \"N/O\" or \"NRT\""),
        .optional("strengths", .categories, "categories the trainee did well in"),
        .optional("needsImprovement", .categories, "categories that need improvement"),
        .required("recommendation", .choice(PhaseRecommendation.allCases.map(\.rawValue)), "advance, extend or remediate"),
        .required("narrative", text, "the narrative"),
    ]

    static func makePhaseReport(_ body: Body) throws -> PhaseReportContent {
        guard let recommendation = PhaseRecommendation(rawValue: try body.require("recommendation")) else {
            throw Problem.badRequest("unknown recommendation", field: "recommendation")
        }
        return PhaseReportContent(
            ratings: body.ratings("ratings"), strengths: body.categories("strengths"), needsImprovement: body.categories("needsImprovement"),
            recommendation: recommendation, narrative: try body.require("narrative"))
    }

    static let records: [CommandOperation] = [
        .init(
            action: .recordCourse, record: .trainee, path: "courses", summary: "Record a completed course (`date` is its completion).", fields: course
        ) {
            body, input in try makeCourse(body, input)
        },
        .init(
            action: .recordCourse, record: .officer, path: "courses", summary: "Record a completed course (`date` is its completion).", fields: course
        ) {
            body, input in try makeCourse(body, input)
        },
        .init(action: .qualifyFTO, record: .officer, path: "fto/qualify", summary: "Record the FTO course (`date` is the course date).", fields: []) {
            _, input in .qualifyFTO(courseDate: input.day)
        },
        .init(action: .recordFTOUpdate, record: .officer, path: "fto/update", summary: "Record an FTO update course.", fields: []) { _, input in
            .recordFTOUpdate(date: input.day)
        },
        .init(
            action: .prohibitFTO, record: .officer, path: "fto/prohibit", summary: "Bar the officer from training others from `date` until `until`.",
            fields: [.required("until", .day, "last day of the bar"), .required("reason", text, "why")]
        ) { body, input in
            .prohibitFTO(from: input.day, until: try body.requireDay("until"), reason: try body.require("reason"))
        },
        .init(
            action: .awardBasicCertificate, record: .officer, path: "fto/certificate",
            summary: "Record the officer's POST Basic Certificate (`date` is its award).",
            fields: [.required("certificate", line, "certificate number")]
        ) { body, input in
            .awardBasicCertificate(certificate: try body.require("certificate"), on: input.day)
        },
        .init(
            action: .startPatrolAssignment, record: .officer, path: "fto/patrol",
            summary: "Record the start of the officer's general patrol assignment.", fields: []
        ) { _, input in
            .startPatrolAssignment(on: input.day)
        },
        .init(
            action: .separate, record: .trainee, path: "separate", summary: "Record a separation.",
            fields: [.required("kind", .choice(SeparationKind.allCases.map(\.rawValue)), "how they left"), .required("reason", text, "why")]
        ) { body, input in
            guard let kind = SeparationKind(rawValue: try body.require("kind")) else { throw Problem.badRequest("unknown kind", field: "kind") }
            return .separate(kind: kind, reason: try body.require("reason"), on: input.day)
        },
        .init(
            action: .retractEntry, record: .trainee, path: "retract", summary: "Retract an entry (it stays on record, marked retracted).",
            fields: [.required("entry", .identifier, "the entry retracted"), .required("reason", text, "why")]
        ) { body, input in
            .retractEntry(entry: EntryID(try body.require("entry")), reason: try body.require("reason"), on: input.day)
        },
        .init(
            action: .correctEntry, record: .trainee, path: "correct",
            summary: "Correct an entry: its corrected content (same kind) with a reason. The original stays on record.",
            fields: [
                .required("entry", .identifier, "the entry corrected"), .required("reason", text, "why"),
                .required("data", .object, "the entry's corrected content (see the history's `data`)"),
            ]
        ) { body, input in
            let entry = EntryID(try body.require("entry"))
            guard let original = try await input.services.training.load(input.reference).file.entry(entry) else {
                throw Problem.notFound("\(input.reference) has no entry \(entry); see its history")
            }
            let replacement: TrainingEvent
            do {
                replacement = try EventCodec.decode(
                    type: original.type, schemaVersion: EventCodec.currentSchemaVersion(of: original.type), json: try body.objectJSON("data"))
            } catch {
                throw Problem.badRequest("`data` is not a valid \(original.type): \(EventCodec.describe(error))", field: "data")
            }
            return .correctEntry(entry: entry, reason: try body.require("reason"), replacement: replacement, on: input.day)
        },
        .init(
            action: .resolveUnreadable, record: .trainee, path: "resolve-unreadable",
            summary: "A system administrator's decision on an entry that cannot be read.",
            fields: [
                .required("entry", .identifier, "the unreadable entry"),
                .required(
                    "resolution", .choice(UnreadableEntryResolved.Resolution.allCases.map(\.rawValue)), "set it aside, or confirm it reads again"),
                .required("reason", text, "why"),
            ]
        ) { body, input in
            guard let resolution = UnreadableEntryResolved.Resolution(rawValue: try body.require("resolution")) else {
                throw Problem.badRequest("unknown resolution", field: "resolution")
            }
            return .resolveUnreadable(
                entry: EntryID(try body.require("entry")), resolution: resolution, reason: try body.require("reason"), on: input.day)
        },
    ]
}
