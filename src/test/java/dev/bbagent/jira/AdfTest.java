package dev.bbagent.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

/** Atlassian Document Format to text, and text to ADF. */
class AdfTest {

    private static JsonNode doc(String json) throws Exception {
        return new ObjectMapper().readTree(json.replace('\'', '"'));
    }

    @Test
    void aRichDocumentFlattensToReadableText() throws Exception {
        JsonNode adf = doc("""
                {'type':'doc','version':1,'content':[
                  {'type':'heading','attrs':{'level':3},'content':[{'type':'text','text':'Steps'}]},
                  {'type':'orderedList','content':[
                    {'type':'listItem','content':[{'type':'paragraph','content':[{'type':'text','text':'one'}]},
                      {'type':'bulletList','content':[{'type':'listItem','content':[{'type':'paragraph','content':[{'type':'text','text':'nested'}]}]}]}]},
                    {'type':'listItem','content':[{'type':'paragraph','content':[{'type':'text','text':'two'}]}]}]},
                  {'type':'paragraph','content':[{'type':'text','text':'Ask '},{'type':'mention','attrs':{'id':'a1','text':'@Ann'}},
                    {'type':'text','text':' about '},{'type':'text','text':'docs','marks':[{'type':'link','attrs':{'href':'https://d.example'}}]},
                    {'type':'hardBreak'},{'type':'text','text':'run '},{'type':'text','text':'make','marks':[{'type':'code'}]}]},
                  {'type':'codeBlock','attrs':{'language':'java'},'content':[{'type':'text','text':'int x = 1;'}]},
                  {'type':'blockquote','content':[{'type':'paragraph','content':[{'type':'text','text':'quoted'}]}]},
                  {'type':'rule'},
                  {'type':'panel','attrs':{'panelType':'info'},'content':[{'type':'paragraph','content':[{'type':'text','text':'note'},{'type':'emoji','attrs':{'shortName':':smile:','text':'😄'}}]}]},
                  {'type':'table','content':[{'type':'tableRow','content':[
                    {'type':'tableHeader','content':[{'type':'paragraph','content':[{'type':'text','text':'a'}]}]},
                    {'type':'tableCell','content':[{'type':'paragraph','content':[{'type':'text','text':'b'}]}]}]}]},
                  {'type':'paragraph','content':[{'type':'inlineCard','attrs':{'url':'https://card.example'}},{'type':'date','attrs':{'timestamp':'1767225600000'}}]}
                ]}""");

        String text = Adf.toText(adf);

        assertThat(text).isEqualTo("""
                ### Steps

                1. one
                  - nested
                2. two

                Ask @Ann about docs (https://d.example)
                run `make`

                ```java
                int x = 1;
                ```

                > quoted

                ---

                note😄

                | a | b |

                https://card.example2026-01-01""");
    }

    @Test
    void wikiMarkupFromDataCenterIsKeptAsItIs() {
        assertThat(Adf.toText(TextNode.valueOf("h2. Why\n* renew\n"))).isEqualTo("h2. Why\n* renew");
        assertThat(Adf.toText(null)).isEmpty();
        assertThat(Adf.raw(TextNode.valueOf("h2. Why"))).isEqualTo("h2. Why");
    }

    @Test
    void plainTextBecomesParagraphsWithHardBreaks() {
        JsonNode adf = Adf.fromText("Summary: login fails.\nNeeds logs.\n\nLabel: bug");

        assertThat(adf.path("type").asText()).isEqualTo("doc");
        assertThat(adf.path("version").asInt()).isEqualTo(1);
        assertThat(adf.path("content")).hasSize(2);
        assertThat(adf.at("/content/0/content/1/type").asText()).isEqualTo("hardBreak");
        assertThat(Adf.toText(adf)).isEqualTo("Summary: login fails.\nNeeds logs.\n\nLabel: bug");
    }
}
