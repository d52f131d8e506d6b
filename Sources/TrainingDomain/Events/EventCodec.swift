import CompactJSON
public import Foundation

/// Turns events into stored form (type name, schema version, JSON) and back, upcasting
/// older payload shapes into today's types.
public enum EventCodec {
    public struct UnknownEvent: Error, CustomStringConvertible {
        public var type: String
        public var schemaVersion: Int
        public var description: String { "no decoder for event type \(type) schema version \(schemaVersion)" }
    }

    /// How one payload type is read: its type and the case that wraps it.
    struct Reader: Sendable {
        let type: any TrainingEventPayload.Type
        let compact: @Sendable ([UInt8]) throws -> TrainingEvent
        let foundation: @Sendable (Data) throws -> TrainingEvent

        init<Payload: TrainingEventPayload>(_: Payload.Type, _ wrap: @escaping @Sendable (Payload) -> TrainingEvent) {
            type = Payload.self
            compact = { wrap(try CompactJSONDecoder().decode(Payload.self, from: $0)) }
            foundation = { wrap(try JSONDecoder().decode(Payload.self, from: $0)) }
        }
    }

    /// Every payload type, by stored name.
    static let readers: [String: Reader] = {
        let all: [Reader] = [
            Reader(RecruitHired.self, TrainingEvent.recruitHired), Reader(AcademyEnrolled.self, TrainingEvent.academyEnrolled),
            Reader(AcademyTestRecorded.self, TrainingEvent.academyTestRecorded), Reader(AcademyGraduated.self, TrainingEvent.academyGraduated),
            Reader(AcademyRecycled.self, TrainingEvent.academyRecycled), Reader(FieldTrainingStarted.self, TrainingEvent.fieldTrainingStarted),
            Reader(FTOAssigned.self, TrainingEvent.ftoAssigned), Reader(SupervisorWeeklyReported.self, TrainingEvent.supervisorWeeklyReported),
            Reader(DailyObservationReported.self, TrainingEvent.dailyObservationReported),
            Reader(DailyObservationAcknowledged.self, TrainingEvent.dailyObservationAcknowledged),
            Reader(TraineeRebuttalFiled.self, TrainingEvent.traineeRebuttalFiled),
            Reader(TrainingTaskSignedOff.self, TrainingEvent.trainingTaskSignedOff),
            Reader(RemedialTrainingAssigned.self, TrainingEvent.remedialTrainingAssigned),
            Reader(RemedialTrainingCompleted.self, TrainingEvent.remedialTrainingCompleted),
            Reader(RemedialTrainingFailed.self, TrainingEvent.remedialTrainingFailed), Reader(PhaseExtended.self, TrainingEvent.phaseExtended),
            Reader(PhaseCompleted.self, TrainingEvent.phaseCompleted), Reader(CompetencyAttested.self, TrainingEvent.competencyAttested),
            Reader(SoloPatrolCleared.self, TrainingEvent.soloPatrolCleared), Reader(ProbationStarted.self, TrainingEvent.probationStarted),
            Reader(ProbationReviewed.self, TrainingEvent.probationReviewed), Reader(ProbationExtended.self, TrainingEvent.probationExtended),
            Reader(ProbationCompleted.self, TrainingEvent.probationCompleted), Reader(CourseCompleted.self, TrainingEvent.courseCompleted),
            Reader(FTOQualified.self, TrainingEvent.ftoQualified), Reader(FTOUpdateCompleted.self, TrainingEvent.ftoUpdateCompleted),
            Reader(FTOTrainingProhibited.self, TrainingEvent.ftoTrainingProhibited), Reader(Separated.self, TrainingEvent.separated),
            Reader(EntryCorrected.self, TrainingEvent.entryCorrected), Reader(EntryRetracted.self, TrainingEvent.entryRetracted),
            Reader(TrainingPolicyAdopted.self, TrainingEvent.trainingPolicyAdopted), Reader(UserRegistered.self, TrainingEvent.userRegistered),
            Reader(UnreadableEntryResolved.self, TrainingEvent.unreadableEntryResolved),
            Reader(SoloReleaseRequested.self, TrainingEvent.soloReleaseRequested),
            Reader(SoloReleaseDeclined.self, TrainingEvent.soloReleaseDeclined),
            Reader(UserDisabled.self, TrainingEvent.userDisabled), Reader(UserEnabled.self, TrainingEvent.userEnabled),
            Reader(UserRoleChanged.self, TrainingEvent.userRoleChanged),
            Reader(OrientationCompleted.self, TrainingEvent.orientationCompleted),
            Reader(TrainingTaskAcknowledged.self, TrainingEvent.trainingTaskAcknowledged),
            Reader(EndOfPhaseReported.self, TrainingEvent.endOfPhaseReported),
            Reader(PhaseEvaluated.self, TrainingEvent.phaseEvaluated),
            Reader(BasicCertificateAwarded.self, TrainingEvent.basicCertificateAwarded),
            Reader(PatrolAssignmentStarted.self, TrainingEvent.patrolAssignmentStarted),
            Reader(CoordinatorAppointed.self, TrainingEvent.coordinatorAppointed),
            Reader(PlausibilityOverridden.self, TrainingEvent.plausibilityOverridden),
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.type.type, $0) })
    }()

    public static var typeNames: [String] { readers.keys.sorted() }

    /// Today's payload shape version for a stored type name (1 for an unknown name).
    public static func currentSchemaVersion(of type: String) -> Int { readers[type]?.type.schemaVersion ?? 1 }

    public static func encode(_ event: TrainingEvent) throws -> (type: String, schemaVersion: Int, json: Data) {
        if case .unreadable(let entry) = event { throw UnknownEvent(type: entry.storedType, schemaVersion: entry.storedSchemaVersion) }
        let payload = event.payload
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (Swift.type(of: payload).type, Swift.type(of: payload).schemaVersion, try encoder.encode(payload))
    }

    public static func decode(type: String, schemaVersion: Int, json: Data) throws -> TrainingEvent {
        try decode(type: type, schemaVersion: schemaVersion, utf8: Array(json))
    }

    public static func decode(type: String, schemaVersion: Int, json: String) throws -> TrainingEvent {
        try decode(type: type, schemaVersion: schemaVersion, utf8: Array(json.utf8))
    }

    /// Today's shape decodes with `CompactJSONDecoder` (the hot path of every replay and
    /// rebuild); an older shape, or anything the strict decoder refuses, goes through
    /// Foundation, which also gives the detailed error.
    public static func decode(type: String, schemaVersion: Int, utf8: [UInt8]) throws -> TrainingEvent {
        guard let reader = readers[type], schemaVersion >= 1, schemaVersion <= reader.type.schemaVersion else {
            throw UnknownEvent(type: type, schemaVersion: schemaVersion)
        }
        if schemaVersion == reader.type.schemaVersion, let event = try? reader.compact(utf8) {
            return event
        }
        return try reader.foundation(try upcast(type: type, from: schemaVersion, json: Data(utf8)))
    }

    /// Rewrites an older payload shape into the current one, one version at a time.
    ///
    /// `coursework.course-completed.v1` schema 1 stored `minutes` (whole minutes) and no
    /// instructor; schema 2 stores `hours` and an optional `instructor`.
    /// `field-training.supervisor-weekly-reported.v1` schema 1 held only the summary.
    static func upcast(type: String, from version: Int, json: Data) throws -> Data {
        var version = version
        var json = json
        while version < (readers[type]?.type.schemaVersion ?? version) {
            switch (type, version) {
            case (CourseCompleted.type, 1):
                guard var object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                    throw UnknownEvent(type: type, schemaVersion: version)
                }
                let minutes = (object.removeValue(forKey: "minutes") as? NSNumber)?.doubleValue ?? 0
                object["hours"] = minutes / 60
                json = try JSONSerialization.data(withJSONObject: object)
            case (SupervisorWeeklyReported.type, 1):
                // Schema 2 added the report's content; a schema 1 report is its summary alone.
                break
            default:
                throw UnknownEvent(type: type, schemaVersion: version)
            }
            version += 1
        }
        return json
    }
}

/// An event nested inside another (a correction's replacement), in stored form.
struct EncodedTrainingEvent: Codable {
    var type: String
    var schemaVersion: Int
    var data: String

    init(_ event: TrainingEvent) throws {
        let encoded = try EventCodec.encode(event)
        type = encoded.type
        schemaVersion = encoded.schemaVersion
        data = String(decoding: encoded.json, as: UTF8.self)
    }

    func decoded() throws -> TrainingEvent {
        try EventCodec.decode(type: type, schemaVersion: schemaVersion, json: data)
    }
}

extension EventCodec {
    /// Says in words why a payload does not decode ("missing field shiftDate", "field
    /// ratings.report_writing: 9x is not a rating"), never the decoder's own type names.
    public static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        func field(_ keys: [any CodingKey]) -> String { keys.isEmpty ? "the payload" : "field \(path(keys))" }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case DecodingError.valueNotFound(_, let context):
            return "\(field(context.codingPath)) must not be null"
        case DecodingError.typeMismatch(let type, let context):
            return "\(field(context.codingPath)) must be \(typeName(type))"
        case DecodingError.dataCorrupted(let context):
            let reason = context.debugDescription.isEmpty ? "is not valid" : context.debugDescription
            return context.codingPath.isEmpty ? "the payload is not valid JSON of this kind (\(reason))" : "\(field(context.codingPath)): \(reason)"
        case let unknown as UnknownEvent:
            return unknown.description
        default:
            return "the payload is not valid for this kind of entry"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            if String(describing: type).hasPrefix("Dictionary") {
                "an object"
            } else if String(describing: type).hasPrefix("Array") {
                "a list"
            } else {
                "a value of another kind"
            }
        }
    }
}
