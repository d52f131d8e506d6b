/// The Field Training Program completion record (POST FTP Guide, A-9; Regulation 1004): the
/// FTO's attestation of competence, the release statement, and the department head's (or
/// designee's) concurrence, with the program's dates and phases. Read from a personnel file;
/// what is still missing is listed, so an incomplete record says so rather than printing blanks.
public struct CompletionRecord: Hashable, Sendable, Codable {
    public struct Phase: Hashable, Sendable, Codable {
        public var number: Int
        public var name: String
        public var started: Day
        public var completed: Day?
        public var ftos: [String]
        public var extensionWeeks: Int
        public var evaluatedBy: String?
        public var evaluatedOn: Day?
        public var recommendation: String?
    }

    public struct Signature: Hashable, Sendable, Codable {
        public var by: String
        public var role: String
        public var on: Day
        public var statement: String
    }

    public var trainee: String
    public var name: String
    public var badge: String
    public var agency: String
    public var program: String
    public var coordinator: String?
    public var fieldTrainingStarted: Day
    public var orientation: String?
    public var phases: [Phase]
    public var attestation: Signature?
    public var releaseRequest: Signature?
    public var concurrence: Signature?
    public var checklist: [String]
    /// What the record still lacks (empty when complete).
    public var missing: [String]

    public var isComplete: Bool { missing.isEmpty }
}

extension CompletionRecord {
    /// The record of `file` under `policy` (the one in force at release, or today); `nil`
    /// before field training starts.
    public static func of(_ file: PersonnelFile, policy: TrainingPolicy, coordinator: OfficerID?) -> CompletionRecord? {
        guard let profile = file.profile, let training = file.fieldTraining else { return nil }
        let phases = training.phases.map { record in
            Phase(
                number: record.number, name: policy.fieldTraining.phase(record.number)?.name ?? "Phase \(record.number)", started: record.startedOn,
                completed: record.completedOn, ftos: record.ftos.map(\.rawValue), extensionWeeks: record.extensionWeeks,
                evaluatedBy: record.evaluation?.author.rawValue, evaluatedOn: record.evaluation?.on,
                recommendation: record.evaluation?.recommendation.rawValue)
        }
        let attestation = training.attestation.map {
            Signature(by: $0.fto.rawValue, role: Role.fto.rawValue, on: $0.on, statement: training.attestationStatement ?? "")
        }
        let clearance = training.soloClearance
        let request = clearance.map {
            Signature(by: $0.requestedBy?.rawValue ?? "", role: Role.trainingSergeant.rawValue, on: $0.requestedOn ?? $0.on, statement: $0.statement)
        }
        let concurrence = clearance.map { Signature(by: $0.concurredBy.rawValue, role: $0.role.rawValue, on: $0.on, statement: $0.statement) }
        var missing: [String] = []
        let open = policy.fieldTraining.phases.map(\.number).filter { number in training.phase(number)?.completedOn == nil }
        if !open.isEmpty { missing.append("phase \(open.map(String.init).joined(separator: ", ")) not signed off") }
        if attestation == nil { missing.append("the FTO's attestation of competence") }
        if clearance == nil { missing.append("the release statement and the department head's concurrence") }
        return CompletionRecord(
            trainee: profile.trainee.rawValue, name: profile.name, badge: profile.badge, agency: profile.agency.rawValue,
            program: "\(policy.fieldTraining.program) — \(policy.name)", coordinator: coordinator?.rawValue,
            fieldTrainingStarted: training.startedOn, orientation: training.orientation.map { "\($0.from) to \($0.to)" }, phases: phases,
            attestation: attestation, releaseRequest: request, concurrence: concurrence,
            checklist: policy.fieldTraining.tasks.compactMap { task in
                training.tasks[task.id].map { "\(task.title): signed by \($0.fto) on \($0.on)" }
            }, missing: missing)
    }
}
