public import Foundation

/// Turns events into stored form (type name, schema version, JSON) and back, upcasting
/// older payload shapes into today's types.
public enum EventCodec {
    public struct UnknownEvent: Error, CustomStringConvertible {
        public var type: String
        public var schemaVersion: Int
        public var description: String { "no decoder for event type \(type) schema version \(schemaVersion)" }
    }

    /// Every payload type, by stored name.
    static let payloadTypes: [String: any TrainingEventPayload.Type] = {
        let all: [any TrainingEventPayload.Type] = [
            RecruitHired.self, AcademyEnrolled.self, AcademyTestRecorded.self, AcademyGraduated.self, AcademyRecycled.self,
            FieldTrainingStarted.self, FTOAssigned.self, SupervisorWeeklyReported.self, DailyObservationReported.self,
            DailyObservationAcknowledged.self, TraineeRebuttalFiled.self, TrainingTaskSignedOff.self,
            RemedialTrainingAssigned.self, RemedialTrainingCompleted.self, RemedialTrainingFailed.self, PhaseExtended.self,
            PhaseCompleted.self, CompetencyAttested.self, SoloPatrolCleared.self, ProbationStarted.self, ProbationReviewed.self,
            ProbationExtended.self, ProbationCompleted.self, CourseCompleted.self, FTOQualified.self, FTOUpdateCompleted.self,
            FTOTrainingProhibited.self, Separated.self, EntryCorrected.self, EntryRetracted.self, TrainingPolicyAdopted.self,
            UserRegistered.self,
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.type, $0) })
    }()

    public static var typeNames: [String] { payloadTypes.keys.sorted() }

    /// Today's payload shape version for a stored type name (1 for an unknown name).
    public static func currentSchemaVersion(of type: String) -> Int { payloadTypes[type]?.schemaVersion ?? 1 }

    public static func encode(_ event: TrainingEvent) throws -> (type: String, schemaVersion: Int, json: Data) {
        let payload = event.payload
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (Swift.type(of: payload).type, Swift.type(of: payload).schemaVersion, try encoder.encode(payload))
    }

    public static func decode(type: String, schemaVersion: Int, json: Data) throws -> TrainingEvent {
        guard let payloadType = payloadTypes[type], schemaVersion >= 1, schemaVersion <= payloadType.schemaVersion else {
            throw UnknownEvent(type: type, schemaVersion: schemaVersion)
        }
        let current = try upcast(type: type, from: schemaVersion, json: json)
        return try wrap(JSONDecoder().decode(payloadType, from: current))
    }

    /// Rewrites an older payload shape into the current one, one version at a time.
    ///
    /// `coursework.course-completed.v1` schema 1 stored `minutes` (whole minutes) and no
    /// instructor; schema 2 stores `hours` and an optional `instructor`.
    static func upcast(type: String, from version: Int, json: Data) throws -> Data {
        var version = version
        var json = json
        while version < (payloadTypes[type]?.schemaVersion ?? version) {
            switch (type, version) {
            case (CourseCompleted.type, 1):
                guard var object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
                    throw UnknownEvent(type: type, schemaVersion: version)
                }
                let minutes = (object.removeValue(forKey: "minutes") as? NSNumber)?.doubleValue ?? 0
                object["hours"] = minutes / 60
                json = try JSONSerialization.data(withJSONObject: object)
            default:
                throw UnknownEvent(type: type, schemaVersion: version)
            }
            version += 1
        }
        return json
    }

    static func wrap(_ payload: any TrainingEventPayload) throws -> TrainingEvent {
        switch payload {
        case let p as RecruitHired: .recruitHired(p)
        case let p as AcademyEnrolled: .academyEnrolled(p)
        case let p as AcademyTestRecorded: .academyTestRecorded(p)
        case let p as AcademyGraduated: .academyGraduated(p)
        case let p as AcademyRecycled: .academyRecycled(p)
        case let p as FieldTrainingStarted: .fieldTrainingStarted(p)
        case let p as FTOAssigned: .ftoAssigned(p)
        case let p as SupervisorWeeklyReported: .supervisorWeeklyReported(p)
        case let p as DailyObservationReported: .dailyObservationReported(p)
        case let p as DailyObservationAcknowledged: .dailyObservationAcknowledged(p)
        case let p as TraineeRebuttalFiled: .traineeRebuttalFiled(p)
        case let p as TrainingTaskSignedOff: .trainingTaskSignedOff(p)
        case let p as RemedialTrainingAssigned: .remedialTrainingAssigned(p)
        case let p as RemedialTrainingCompleted: .remedialTrainingCompleted(p)
        case let p as RemedialTrainingFailed: .remedialTrainingFailed(p)
        case let p as PhaseExtended: .phaseExtended(p)
        case let p as PhaseCompleted: .phaseCompleted(p)
        case let p as CompetencyAttested: .competencyAttested(p)
        case let p as SoloPatrolCleared: .soloPatrolCleared(p)
        case let p as ProbationStarted: .probationStarted(p)
        case let p as ProbationReviewed: .probationReviewed(p)
        case let p as ProbationExtended: .probationExtended(p)
        case let p as ProbationCompleted: .probationCompleted(p)
        case let p as CourseCompleted: .courseCompleted(p)
        case let p as FTOQualified: .ftoQualified(p)
        case let p as FTOUpdateCompleted: .ftoUpdateCompleted(p)
        case let p as FTOTrainingProhibited: .ftoTrainingProhibited(p)
        case let p as Separated: .separated(p)
        case let p as EntryCorrected: .entryCorrected(p)
        case let p as EntryRetracted: .entryRetracted(p)
        case let p as TrainingPolicyAdopted: .trainingPolicyAdopted(p)
        case let p as UserRegistered: .userRegistered(p)
        default: throw UnknownEvent(type: Swift.type(of: payload).type, schemaVersion: Swift.type(of: payload).schemaVersion)
        }
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
        try EventCodec.decode(type: type, schemaVersion: schemaVersion, json: Data(data.utf8))
    }
}
