public import EventLog
public import Foundation

/// Small helpers for building events in tests.
public enum Fixtures {
    public static let actor = EventMetadata(actorID: "sgt.reyes", actorRole: "training_sergeant", source: "test")
    public static let fixedDate = Date(timeIntervalSince1970: 1_750_000_000)

    public static func event(
        _ type: String = "test.something-happened.v1", data: String = #"{"n":1}"#, id: UUID = UUID(),
        occurredAt: Date = fixedDate, metadata: EventMetadata = actor
    ) -> EventData {
        // Test payloads are literals known to be valid.
        try! EventData(id: id, type: type, data: data, metadata: metadata, occurredAt: occurredAt)
    }

    public static func events(_ count: Int, type: String = "test.something-happened.v1", tag: String = "") -> [EventData] {
        (0..<count).map { event(type, data: #"{"n":\#($0),"tag":"\#(tag)"}"#) }
    }

    public static func stream(_ category: String = "trainee") -> StreamID {
        try! StreamID(category: category, id: UUID().uuidString.lowercased())
    }
}
