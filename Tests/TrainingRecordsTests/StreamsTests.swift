import EventLog
import Testing
import TrainingDomain
import TrainingRecords

@Suite struct StreamsTests {
    @Test("a trainee's file, an officer's file, an agency's policy and roster each have one stream name")
    func names() throws {
        #expect(try Streams.trainee(TraineeID("r-16")).rawValue == "trainee-r-16")
        #expect(try Streams.officer(OfficerID("fto.chen")).rawValue == "officer-fto.chen")
        #expect(try Streams.policy(AgencyID("pasadena")).rawValue == "policy-pasadena")
        #expect(try Streams.users(AgencyID("pasadena")).rawValue == "users-pasadena")
        #expect(Streams.trainee(of: try Streams.trainee(TraineeID("r-16"))) == TraineeID("r-16"))
        #expect(Streams.trainee(of: try Streams.officer(OfficerID("r-16"))) == nil)
        #expect(Streams.id(of: try Streams.officer(OfficerID("fto.chen"))) == "fto.chen")
    }

    @Test("an id that cannot name a stream is refused")
    func invalid() {
        #expect(throws: EventLogError.self) { try Streams.trainee(TraineeID("has space")) }
    }
}
