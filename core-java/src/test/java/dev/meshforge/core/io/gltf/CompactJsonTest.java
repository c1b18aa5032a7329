package dev.meshforge.core.io.gltf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompactJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void wholeNumbersBecomeIntegersAndZeroOffsetsGoWhileEveryOtherValueAndNameStays() throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree("""
                {"materials":[{"name":"paint","pbrMetallicRoughness":{"metallicFactor":0.0,"roughnessFactor":0.5}}],
                 "nodes":[{"name":"n","translation":[4.0,-0.0,1.0E300],"scale":[2.5E-4,1.0,1.0]}],
                 "accessors":[{"bufferView":0,"byteOffset":0,"min":[0.0,-3.0],"max":[16383.0,7.5]},
                              {"bufferView":0,"byteOffset":8}],
                 "bufferViews":[{"buffer":1,"byteOffset":0,"byteLength":12,"extensions":{"EXT_meshopt_compression":
                   {"buffer":0,"byteOffset":0,"byteLength":9}}},
                   {"buffer":1,"byteOffset":12,"byteLength":4}]}""");
        CompactJson.apply(root);
        assertEquals("""
                {"materials":[{"name":"paint","pbrMetallicRoughness":{"metallicFactor":0,"roughnessFactor":0.5}}],\
                "nodes":[{"name":"n","translation":[4,-0.0,1.0E300],"scale":[2.5E-4,1,1]}],\
                "accessors":[{"bufferView":0,"min":[0,-3],"max":[16383,7.5]},{"bufferView":0,"byteOffset":8}],\
                "bufferViews":[{"buffer":1,"byteLength":12,"extensions":{"EXT_meshopt_compression":\
                {"buffer":0,"byteLength":9}}},{"buffer":1,"byteOffset":12,"byteLength":4}]}""",
                MAPPER.writeValueAsString(root));
    }
}
