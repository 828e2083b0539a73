package lessons

import (
	"fmt"
	"strings"
	"testing"
)

// claimRow maps one statement of the source text (seed
// 000_2f3184a269f5615c, a Chinese answer on how a TCP connection ends), or
// one correction of it from SPEC.md section 6, to the lesson step that
// teaches it. En and Zh are words that step must contain (in its text,
// question, choices or explanation) in each language; the step is named
// by its English title, and the Chinese lesson is matched step by step.
type claimRow struct {
	Fix    int    // SPEC section 6 correction number, 0 for a claim of the source text
	Claim  string // the claim, paraphrased (or the correction)
	Lesson string // lesson id
	Step   string // English step title
	En, Zh string
}

var claimTable = []claimRow{
	// The source text, in its order.
	{0, "TCP closes a connection with a four-way wave (四次挥手)", "four-way-close", "Two ends of one connection", "four-way close", "四次挥手"},
	{0, "the client sends a FIN and enters FIN_WAIT_1", "four-way-close", "The client closes", "enters FIN-WAIT-1", "进入 FIN-WAIT-1"},
	{0, "the server ACKs the FIN and enters CLOSE-WAIT (written CLOSED_WAIT)", "four-way-close", "The server reads EOF", "the server enters **CLOSE-WAIT**", "服务器进入 **CLOSE-WAIT**"},
	{0, "the client receives the ACK and enters FIN_WAIT_2", "four-way-close", "FIN-WAIT-2", "moved to **FIN-WAIT-2**", "进入 **FIN-WAIT-2**"},
	{0, "the server sends its FIN when it is done and enters LAST_ACK", "four-way-close", "The server's application closes", "The server enters **LAST-ACK**", "服务器进入 **LAST-ACK**"},
	{0, "the client receives the FIN, enters TIME_WAIT and sends the last ACK", "four-way-close", "TIME-WAIT", "sent the final ACK", "发出最后一个 ACK"},
	{0, "the client closes after waiting 2MSL", "four-way-close", "2MSL later", "TIME-WAIT timer fired", "TIME-WAIT 定时器到期"},
	{0, "only the active closer has TIME_WAIT", "four-way-close", "The passive closer is done", "never enters TIME-WAIT", "永远不会进入 TIME-WAIT"},
	{0, "why four: the handshake merges SYN and ACK, but a side may still need time for its data before its FIN", "why-four", "Closing one direction only", "SYN,ACK", "合在同一个 SYN,ACK 里"},
	{0, "MSL is the maximum segment lifetime; older segments are discarded", "time-wait-2msl", "How long is TIME-WAIT?", "maximum segment lifetime", "报文段最长生存时间"},
	{0, "TTL is the maximum number of routers, decremented per hop, dropped at 0 with an ICMP message to the source (ping, traceroute)", "time-wait-2msl", "MSL is seconds, TTL is hops", "time exceeded", "每经过一个路由器就减一"},
	{0, "MSL is a time, TTL a number of hops, and MSL >= TTL", "time-wait-2msl", "MSL is seconds, TTL is hops", "greater than or equal to TTL", "大于等于 ttl"},
	{0, "on Linux, 2MSL defaults to 60 s", "time-wait-2msl", "Linux: a fixed 60 seconds", "2MSL defaults to 60 s", "2msl 默认是 60 秒"},
	{0, "reason 1: a delayed old segment (seq 301) can corrupt a new connection", "old-duplicate", "Without TIME-WAIT", "seq 301", "seq 301 的包"},
	{0, "2MSL lets the segments of both directions die", "old-duplicate", "The old segment dies of old age", "in either direction", "两个方向上的所有报文段"},
	{0, "reason 2: the final ACK must reach the passive closer; the server resends its FIN", "lost-final-ack", "Both ends closed cleanly", "reach the passive closer", "送到被动关闭方"},
	{0, "without TIME_WAIT the server would be stuck in LAST_ACK", "lost-final-ack", "Without TIME-WAIT", "stuck in LAST-ACK", "一直处于 LAST-ACK"},
	{0, "servers show many TIME_WAITs, generally from server-initiated closes", "who-gets-time-wait", "Whoever closes first", "generally", "一般就是服务器主动发起"},
	{0, "too many TIME_WAITs consume system resources", "who-gets-time-wait", "A busy server's TIME-WAITs", "memory", "内存"},
	{0, "occupied ports prevent new connections", "who-gets-time-wait", "Where ports really run out", "EADDRNOTAVAIL", "临时端口"},
	{0, "tcp_tw_reuse=1 reuses TIME_WAIT connections older than 1 s", "who-gets-time-wait", "tcp_tw_reuse, exactly", "older than 1 second", "超过 1 秒"},
	{0, "keepalive probes after an idle time; unanswered probes are reported to the application", "keepalive", "2 hours 11 minutes 15 seconds", "the application's next read fails", "应用程序的下一次读操作"},
	{0, "defaults tcp_keepalive_time=7200, tcp_keepalive_intvl=75, tcp_keepalive_probes=9", "keepalive", "Nine probes, 75 s apart", "`tcp_keepalive_intvl` = 75 s", "`tcp_keepalive_intvl` = 75 s"},
	{0, "it takes at least 2 h 11 min 15 s to find a dead connection", "keepalive", "2 hours 11 minutes 15 seconds", "2 h 11 min 15 s", "2 小时 11 分 15 秒"},
	{0, "these times can be configured", "keepalive", "Your own settings", "per-socket option", "套接字选项"},

	// SPEC.md section 6: the corrections.
	{1, "the state is CLOSE_WAIT (ss: CLOSE-WAIT), not CLOSED_WAIT", "four-way-close", "The server reads EOF", "there is no such state", "TCP 里没有这个状态"},
	{2, "the ACK of a FIN may be delayed and ride on the FIN: a three-segment close is common", "why-four", "Three segments when the timing allows", "FIN, FIN+ACK, ACK", "三段式关闭"},
	{3, "the server's FIN leaves only when its application calls close()/shutdown(); otherwise CLOSE-WAIT forever", "four-way-close", "The server's application closes", "CLOSE-WAIT forever", "永远停在 CLOSE-WAIT"},
	{4, "TIME_WAIT is entered from FIN_WAIT_2; from FIN_WAIT_1 a FIN leads to CLOSING, or straight to TIME_WAIT if it also ACKs ours", "four-way-close", "TIME-WAIT", "goes to CLOSING", "会进入 CLOSING"},
	{5, "RFC 2MSL is 4 min; Linux TIME-WAIT is a fixed 60 s constant, not a default, restarted by each retransmitted FIN; tcp_fin_timeout is for orphaned FIN_WAIT_2 only", "time-wait-2msl", "Linux: a fixed 60 seconds", "no sysctl changes it", "没有任何 sysctl 能改变它"},
	{6, "TIME_WAIT goes to whichever side sends the first FIN; both after a simultaneous close; none after a RST", "who-gets-time-wait", "Whoever closes first", "**first FIN**", "**第一个 FIN**"},
	{7, "MSL >= TTL compares seconds with hops: only an RFC 793 design intent", "time-wait-2msl", "MSL is seconds, TTL is hops", "not comparable", "没法比较"},
	{8, "the old duplicate needs the same 4-tuple and a SEQ inside the new window; random ISNs and PAWS mitigate it", "old-duplicate", "Without TIME-WAIT", "inside the new window", "落在新连接的窗口内"},
	{9, "a retransmitted FIN restarts TIME_WAIT; without TIME_WAIT it draws a RST", "lost-final-ack", "TIME-WAIT answers and starts again", "restarted its 60 s timer", "重新开始 60 s 的计时"},
	{10, "server TIME_WAITs share the listening port; port exhaustion is an outgoing, per-destination problem (EADDRNOTAVAIL)", "who-gets-time-wait", "A busy server's TIME-WAITs", "do **not** take ports", "**不**占用端口"},
	{11, "tcp_tw_reuse: outgoing connect() only, needs timestamps, default 2 (loopback), 1000 ms after entering TIME-WAIT, never shortens it", "who-gets-time-wait", "tcp_tw_reuse, exactly", "tcp_tw_reuse_delay", "从不缩短 TIME-WAIT"},
	{12, "keepalive is off unless enabled; the clock starts at the last received segment; ETIMEDOUT even if ICMPs arrive; tcp_retries2 governs with data outstanding", "keepalive", "An idle connection and a dead peer", "**off**", "默认是**关闭**"},
}

// claimHaystack is everything a step shows: its text, and its question
// with choices and explanation, with runs of white space made one space.
func claimHaystack(s *Step) string {
	parts := []string{s.Text}
	if q := s.Question; q != nil {
		parts = append(parts, q.Prompt, q.Explain)
		parts = append(parts, q.Choices...)
	}
	// Lines are wrapped in the files: compare with single spaces.
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// Every claim of the source text and every correction of SPEC.md section 6
// is taught by a named step, in English and in Chinese.
func TestClaimsTaughtInBothLanguages(t *testing.T) {
	langs := map[string]map[string]*Lesson{}
	for _, lang := range []string{"en", "zh"} {
		ls, err := Builtin(lang)
		if err != nil {
			t.Fatal(err)
		}
		langs[lang] = map[string]*Lesson{}
		for _, l := range ls {
			langs[lang][l.ID] = l
		}
	}
	fixes := map[int]bool{}
	sourceClaims := 0
	for _, c := range claimTable {
		if c.Fix == 0 {
			sourceClaims++
		} else {
			fixes[c.Fix] = true
		}
		name := c.Claim
		if c.Fix > 0 {
			name = fmt.Sprintf("correction %d: %s", c.Fix, c.Claim)
		}
		en, zh := langs["en"][c.Lesson], langs["zh"][c.Lesson]
		if en == nil || zh == nil {
			t.Errorf("%s: lesson %q missing (en %v, zh %v)", name, c.Lesson, en != nil, zh != nil)
			continue
		}
		idx := -1
		for i := range en.Steps {
			if en.Steps[i].Title == c.Step {
				idx = i
				break
			}
		}
		if idx < 0 {
			t.Errorf("%s: lesson %s has no step %q", name, c.Lesson, c.Step)
			continue
		}
		if idx >= len(zh.Steps) {
			t.Errorf("%s: Chinese lesson %s has no step %d", name, c.Lesson, idx+1)
			continue
		}
		if h := claimHaystack(&en.Steps[idx]); !strings.Contains(strings.ToLower(h), strings.ToLower(c.En)) {
			t.Errorf("%s:%d: %s: English step %q does not say %q", en.File, en.Steps[idx].Line, name, c.Step, c.En)
		}
		if h := claimHaystack(&zh.Steps[idx]); !strings.Contains(h, c.Zh) {
			t.Errorf("%s:%d: %s: Chinese step %q does not say %q", zh.File, zh.Steps[idx].Line, name, zh.Steps[idx].Title, c.Zh)
		}
	}
	for n := 1; n <= 12; n++ {
		if !fixes[n] {
			t.Errorf("SPEC section 6 correction %d is not in the table", n)
		}
	}
	if sourceClaims < 25 {
		t.Errorf("only %d claims of the source text in the table", sourceClaims)
	}
}
