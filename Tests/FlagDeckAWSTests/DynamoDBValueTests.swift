@testable import FlagDeckAWS
import Foundation
import Testing

@Suite struct DynamoDBValueTests {
    @Test func wireJSONRoundTripsExactly() throws {
        let json = #"{"a":{"S":"x"},"b":{"N":"0.10"},"c":{"BOOL":false},"d":{"NULL":true},"e":{"M":{"f":{"L":[{"N":"1e3"},{"B":"AAH/"}]}}},"g":{"SS":["z","y"]},"h":{"NS":["10","9"]},"i":{"BS":["AQ=="]}}"#
        let item = try JSONDecoder().decode(DynamoDBItem.self, from: Data(json.utf8))
        #expect(item["b"] == .n("0.10"))
        #expect(item["e"] == .m(["f": .l([.n("1e3"), .b(Data([0, 1, 255]))])]))
        #expect(item["g"] == .ss(["z", "y"]))
        let again = try JSONDecoder().decode(DynamoDBItem.self, from: JSONCoding.encode(item, context: AWSErrorContext()))
        #expect(again == item)
        let canonicalA = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! NSDictionary
        let canonicalB = try JSONSerialization.jsonObject(with: JSONCoding.encode(item, context: AWSErrorContext())) as! NSDictionary
        #expect(canonicalA == canonicalB)
    }

    @Test func aValueWithTwoTypesIsRejected() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DynamoDBValue.self, from: Data(#"{"S":"x","N":"1"}"#.utf8))
        }
    }
}
