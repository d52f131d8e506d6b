// Policies adopted before a field existed decode with the value that reproduces how they were
// judged then (a requirement they did not have is off), so 2024 is judged by 2024's rules.

extension KeyedDecodingContainer {
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, absent: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? absent()
    }
}
