public import Foundation
public import TrainingDomain
public import TrainingRecords

/// One command a backfill row records, placed on the import's timeline: the business day, the
/// kind of act (which orders acts of one day), who signed it and the paper it comes from.
public struct BackfillStep: Sendable {
    public enum Action: Sendable {
        case register(user: OfficerID, name: String, role: Role)
        case record(TrainingCommand, on: FileReference)
        /// A correction whose new content is the entry's content with `changes` applied
        /// (known only when the entry is, at the correction's turn).
        case correct(FileReference, entry: EntryID, changes: EntryChanges, reason: String, on: Day)
    }

    public var file: String
    public var line: Int
    /// The step's place among its row's steps (a DOR, then its acknowledgement).
    public var index: Int
    /// The business day.
    public var date: Day
    public var stage: BackfillStage
    /// The column the date came from, named when a rule refuses the date.
    public var dateField: String
    public var signer: OfficerID
    /// The column the signer came from.
    public var signerField: String
    public var document: PaperDocument
    public var overrideReason: String?
    public var commandID: UUID
    public var action: Action

    /// Whose record the step writes to (nil: the agency's user roster).
    public var reference: FileReference? {
        switch action {
        case .register: nil
        case .record(_, let reference), .correct(let reference, _, _, _, _): reference
        }
    }

    /// Timeline order: users first (everyone who signs must be registered), then by day; on
    /// one day by the kind of act, then by file and line (the clerk's order within a file).
    static func precedes(_ a: BackfillStep, _ b: BackfillStep) -> Bool {
        let (aUser, bUser) = (a.stage == .registration, b.stage == .registration)
        if aUser != bUser { return aUser }
        if a.date != b.date { return a.date < b.date }
        if a.stage != b.stage { return a.stage < b.stage }
        if a.file != b.file { return BackfillFiles.rank(a.file) < BackfillFiles.rank(b.file) }
        if a.line != b.line { return a.line < b.line }
        return a.index < b.index
    }
}

/// The order of acts on one day, as declared. An act a rule refuses at its turn is tried again
/// after the day's other acts (see ``BackfillImporter``), so this order only has to suit most
/// days.
public enum BackfillStage: Int, Sendable, Comparable, CaseIterable {
    case registration
    // An officer's eligibility to train, and coursework (current before a release that day).
    case basicCertificate
    case patrolStart
    case ftoCourse
    case ftoUpdate
    case ftoProhibited
    case course
    // Hiring and the academy.
    case hire
    case enrollment
    case academyTest
    case recycle
    case graduation
    // Field training, within a phase.
    case fieldTrainingStart
    case ftoAssignment
    case orientation
    case dor
    case dorAcknowledgement
    case rebuttal
    case taskSignOff
    case taskAcknowledgement
    case remedialAssignment
    case remedialClosing
    case weeklyReport
    case endOfPhaseReport
    case phaseEvaluation
    case phaseExtension
    case phaseCompletion
    // The release to solo patrol.
    case attestation
    case releaseRequest
    case releaseDecision
    // Probation, separation, and amendments of anything recorded before them.
    case probationStart
    case probationReview
    case probationExtension
    case probationCompletion
    case separation
    case amendment

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a row's mapping needs besides the row: the agency, and the entries other rows define
/// (`ref`), by label.
struct BackfillMapping: Sendable {
    let agency: AgencyID
    /// Label → the entry the labelled row records first.
    let refs: [String: EntryID]

    /// The entry `column` names: a `ref` of this import, or the id of an entry already on record.
    func entry(_ row: BackfillRow, _ column: String) throws -> EntryID {
        let text = try row.required(column)
        if let entry = refs[text] { return entry }
        if let uuid = UUID(uuidString: text) { return EntryID(uuid.uuidString.lowercased()) }
        throw row.error(column, "no row of this import has ref \"\(text.prefix(40))\", and it is not an entry id (see `muster history`)")
    }

    /// A step of `row`: signed by the user in `signerField`, on the day in `dateField`, the
    /// paper record from the row's `document` and `document_date` (default: the step's day).
    func step(
        _ row: BackfillRow, _ index: Int, _ stage: BackfillStage, on dateField: String, signer signerField: String = "signed_by",
        _ action: BackfillStep.Action
    ) throws -> BackfillStep {
        let date = try row.requiredDay(dateField)
        let signer: OfficerID = try row.id(signerField)
        let signedOn = try row.day("document_date") ?? date
        return BackfillStep(
            file: row.file, line: row.line, index: index, date: date, stage: stage, dateField: dateField, signer: signer,
            signerField: signerField, document: PaperDocument(reference: try row.required("document"), signedOn: signedOn),
            overrideReason: row.text("override_reason"), commandID: row.commandID(index, agency: agency), action: action)
    }

    /// The entry id the `index`th step of `row` records first (what a `ref` names).
    func firstEntry(of row: BackfillRow, step index: Int = 0) -> EntryID {
        Provenance(commandID: row.commandID(index, agency: agency)).entryID(0)
    }
}
