/*
 * Why this plugin exists: the launcher runs the Elasticsearch "integ-test zip" distribution,
 * which ships without the analysis-common module. With security on, the first API key or
 * native user is stored in the `.security` system index, whose settings define an `email`
 * analyzer (tokenizer `uax_url_email`, filters: a `pattern_capture` filter, `lowercase`,
 * `unique`). Without those analysis types the index cannot be created and every API-key or
 * user call fails with "Unknown filter type [pattern_capture]". No analysis-common build of
 * the matching version is published, so this test-only plugin registers the few missing
 * types itself, on top of the Lucene classes the distribution already has in lib/.
 *
 * `lowercase` is not registered here: the server already provides it as a pre-configured
 * filter. Registering a name the server or another plugin has would stop the node.
 */
package a4c.securityanalysis;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.FilteringTokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

public class SecurityAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            // Settings are mandatory: a pattern_capture filter means nothing without patterns.
            "pattern_capture", AnalysisPlugin.requiresAnalysisSettings((indexSettings, environment, name, settings) -> {
                List<String> sources = settings.getAsList("patterns");
                if (sources.isEmpty()) {
                    throw new IllegalArgumentException("the [patterns] setting of the pattern_capture filter [" + name + "] is empty");
                }
                Pattern[] patterns = sources.stream().map(Pattern::compile).toArray(Pattern[]::new);
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                return filter(name, input -> new PatternCaptureGroupTokenFilter(input, preserveOriginal, patterns));
            }),
            "unique", (indexSettings, environment, name, settings) -> {
                boolean samePositionOnly = settings.getAsBoolean("only_on_same_position", false);
                return filter(name, input -> samePositionOnly ? new RemoveDuplicatesTokenFilter(input) : new FirstOccurrenceFilter(input));
            }
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", (indexSettings, environment, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
                tokenizer.setMaxTokenLength(maxTokenLength);
                return tokenizer;
            });
        });
    }

    private interface StreamWrapper {
        TokenStream wrap(TokenStream input);
    }

    private static TokenFilterFactory filter(String name, StreamWrapper wrapper) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream input) {
                return wrapper.wrap(input);
            }
        };
    }

    /**
     * Keeps only the first occurrence of each term in the whole stream (what `unique` does by
     * default). FilteringTokenFilter carries the positions of dropped tokens over.
     */
    private static final class FirstOccurrenceFilter extends FilteringTokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final Set<String> seen = new HashSet<>();

        FirstOccurrenceFilter(TokenStream input) {
            super(input);
        }

        @Override
        protected boolean accept() {
            return seen.add(term.toString());
        }

        @Override
        public void reset() throws java.io.IOException {
            super.reset();
            seen.clear();
        }
    }
}
