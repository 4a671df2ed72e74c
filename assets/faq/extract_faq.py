#!/usr/bin/env python3
"""Makes assets/faq/ja.json from the NPA's FAQ as extracted from its PDF (tests/data/faq/npa-faq.ja.txt).

Run only to regenerate; the kiosk reads the JSON. The extraction wraps questions at ~30 and
answers at ~68 characters, glues a few lines together and places each section heading at a page
break rather than where its section begins: the sections are therefore assigned by the first
question of each (SECTION_STARTS, an editorial decision checked by reading), not by where the
headings fall. faq_text_test checks that the JSON holds exactly the FAQ's words in its order.
"""
import json
import re
import sys

QUESTION_WIDTH = 32  # the question column's widest line
HEADING = re.compile(r'^([０-９0-9]+)　(.+?について(?:（[^）]+）)?|その他)$')
GLUED_HEADING = re.compile(r'^([０-９0-9]+　.+?について(?:（[^）]+）)?)(.+か。)$')
INLINE_ANSWER = re.compile(r'^(.{5,45}?か。)\s+(.+)$')
# The first question of each section, in section order.
SECTION_STARTS = [
    'マイナンバーカードと運転免許証の一体化とは何ですか。',
    'マイナンバーカードにはどのような免許情報が記録されますか。',
    'マイナ免許証の更新手続はどこでできますか。',
    '住所変更ワンストップサービス等とは、どのようなサービスですか。',
    '免許情報とマイナポータルの連携とは何ですか。',
    '本籍（免許情報）のオンライン変更とは、どのようなサービスですか。',
    'マイナ免許証の経由申請とは、何ですか。',
    'マイナ経歴証明書とは、何ですか。',
    'オンライン講習とは何ですか。',
    'マイナ免許証読み取りアプリはどのようなものですか。',
    'マイナンバーカードが失効した場合、マイナ免許証は失効しますか。',
]
# Words offered as buttons to search for (the kiosk has no Japanese keyboard): label, query.
TOPICS = [
    ('暗証番号', '暗証番号'), ('更新', '更新'), ('住所変更ワンストップサービス', 'ワンストップ'),
    ('マイナポータル', 'マイナポータル'), ('オンライン講習', 'オンライン講習'), ('紛失', '紛失'),
    ('手数料', '手数料'), ('本籍', '本籍'), ('経由申請', '経由申請'), ('読み取りアプリ', '読み取りアプリ'),
    ('有効期間', '有効期間'), ('署名用電子証明書', '署名用電子証明書'), ('日本国外', '国外'),
    ('従来の免許証', '従来の免許証'),
]
LIST_MARKERS = ('　', '※', '○', '〇', '・') + tuple(chr(c) for c in range(ord('①'), ord('⑳') + 1))


def split_glued(raw):
    lines = []
    for line in raw:
        if not line.strip():
            continue
        m = GLUED_HEADING.match(line)
        if m:
            lines += [m.group(1), m.group(2)]
            continue
        if len(line) > QUESTION_WIDTH and line.endswith('か。'):
            k = line[:-1].rfind('。')
            if k >= 0 and len(line) - k - 1 <= 45:
                lines += [line[:k + 1], line[k + 1:]]
                continue
        lines.append(line)
    return lines


def narrow(line):
    return len(line) <= QUESTION_WIDTH and not line.startswith(('　', '※'))


def question_starts(lines):
    starts = set()
    for i, line in enumerate(lines):
        if HEADING.match(line) or not (narrow(line) and line.endswith('か。')):
            continue
        j = i
        while (j > 0 and narrow(lines[j - 1]) and len(lines[j - 1]) >= 26
               and not lines[j - 1].endswith('。') and not HEADING.match(lines[j - 1])):
            j -= 1
        starts.add(j)
    return starts


def join_answer(lines):
    text = ''
    for k, line in enumerate(lines):
        if k == 0:
            text = line
        elif line.startswith('　　'):
            text += line[2:]  # an item's wrapped line
        elif text.endswith(('。', '：', '」')) or line.startswith(LIST_MARKERS):
            text += '\n' + line
        else:
            text += line
    return text


def extract(path):
    lines = split_glued(l.rstrip() for l in open(path, encoding='utf-8'))
    starts = question_starts(lines)
    headings, items = {}, []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = HEADING.match(line)
        if m:
            number = int(m.group(1).translate(str.maketrans('０１２３４５６７８９', '0123456789')))
            headings[number] = m.group(2)
            i += 1
            continue
        if i in starts:
            q = ''
            while not q.endswith('か。'):
                q += lines[i]
                i += 1
            items.append([q, []])
            continue
        m = INLINE_ANSWER.match(line)
        if m and not line.startswith(('　', '※')):
            items.append([m.group(1), [m.group(2)]])
            i += 1
            continue
        items[-1][1].append(line)
        i += 1
    questions = [q for q, _ in items]
    bounds = [questions.index(s) for s in SECTION_STARTS] + [len(items)]
    sections = []
    for n in range(len(SECTION_STARTS)):
        entries = []
        for k, (q, a) in enumerate(items[bounds[n]:bounds[n + 1]]):
            entries.append({'id': f'{n + 1}.{k + 1}', 'question': q, 'answer': join_answer(a)})
        sections.append({'number': n + 1, 'title': headings[n + 1], 'entries': entries})
    return {
        'language': 'ja',
        'source': '警察庁「マイナ免許証に関するよくある質問（FAQ）」',
        'note': '',
        'sections': sections,
        'topics': [{'label': label, 'query': query} for label, query in TOPICS],
    }


if __name__ == '__main__':
    json.dump(extract(sys.argv[1]), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')
