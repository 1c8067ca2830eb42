import type { Instrument } from './instrument.js'

const yesNo = [
  { value: 1, label: 'Có' },
  { value: 2, label: 'Không' }
]

/**
 * The standard SIPAS questionnaire of QĐ 2640/QĐ-BNV (2017): 5 factors, 22 criteria (wording paraphrased),
 * one overall item per factor and for the whole service, perception items, needs and expectations, profile.
 * Provinces derive their own versions from it (extra criteria, a sixth factor, reworded questions).
 */
export const STANDARD_INSTRUMENT: Instrument = {
  code: 'SIPAS-2017',
  version: 1,
  name: 'SIPAS — bộ câu hỏi chuẩn theo QĐ 2640/QĐ-BNV (2017)',
  scale: {
    levels: [
      { value: 1, label: 'Rất không hài lòng' },
      { value: 2, label: 'Không hài lòng' },
      { value: 3, label: 'Bình thường' },
      { value: 4, label: 'Hài lòng' },
      { value: 5, label: 'Rất hài lòng' }
    ],
    satisfied: [4, 5],
    noAnswer: 0
  },
  factors: [
    { code: 'F1', name: 'Tiếp cận dịch vụ' },
    { code: 'F2', name: 'Thủ tục hành chính' },
    { code: 'F3', name: 'Công chức trực tiếp giải quyết công việc' },
    { code: 'F4', name: 'Kết quả cung ứng dịch vụ' },
    { code: 'F5', name: 'Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị' }
  ],
  items: [
    { kind: 'criterion', factor: 'F1', code: 'F1.1', text: 'Nơi ngồi chờ có đủ chỗ ngồi', required: true },
    {
      kind: 'criterion',
      factor: 'F1',
      code: 'F1.2',
      text: 'Trang thiết bị phục vụ tại nơi tiếp nhận, trả kết quả đầy đủ',
      required: true
    },
    { kind: 'criterion', factor: 'F1', code: 'F1.3', text: 'Trang thiết bị hiện đại', required: true },
    { kind: 'criterion', factor: 'F1', code: 'F1.4', text: 'Trang thiết bị dễ sử dụng', required: true },
    {
      kind: 'criterion',
      factor: 'F2',
      code: 'F2.1',
      text: 'Thủ tục hành chính được niêm yết công khai đầy đủ',
      required: true
    },
    {
      kind: 'criterion',
      factor: 'F2',
      code: 'F2.2',
      text: 'Thủ tục hành chính được niêm yết công khai chính xác',
      required: true
    },
    { kind: 'criterion', factor: 'F2', code: 'F2.3', text: 'Thành phần hồ sơ phải nộp đúng quy định', required: true },
    { kind: 'criterion', factor: 'F2', code: 'F2.4', text: 'Phí, lệ phí phải nộp đúng quy định', required: true },
    { kind: 'criterion', factor: 'F2', code: 'F2.5', text: 'Thời hạn giải quyết đúng quy định', required: true },
    { kind: 'criterion', factor: 'F3', code: 'F3.1', text: 'Công chức có thái độ giao tiếp lịch sự', required: true },
    { kind: 'criterion', factor: 'F3', code: 'F3.2', text: 'Công chức chú ý lắng nghe ý kiến', required: true },
    {
      kind: 'criterion',
      factor: 'F3',
      code: 'F3.3',
      text: 'Công chức trả lời, giải thích đầy đủ các ý kiến',
      required: true
    },
    {
      kind: 'criterion',
      factor: 'F3',
      code: 'F3.4',
      text: 'Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo',
      required: true
    },
    {
      kind: 'criterion',
      factor: 'F3',
      code: 'F3.5',
      text: 'Công chức hướng dẫn kê khai hồ sơ dễ hiểu',
      required: true
    },
    {
      kind: 'criterion',
      factor: 'F3',
      code: 'F3.6',
      text: 'Công chức tuân thủ đúng quy định trong giải quyết công việc',
      required: true
    },
    { kind: 'criterion', factor: 'F4', code: 'F4.1', text: 'Kết quả đúng quy định', required: true },
    { kind: 'criterion', factor: 'F4', code: 'F4.2', text: 'Kết quả có thông tin đầy đủ', required: true },
    { kind: 'criterion', factor: 'F4', code: 'F4.3', text: 'Kết quả có thông tin chính xác', required: true },
    {
      kind: 'criterion',
      factor: 'F5',
      code: 'F5.1',
      text: 'Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị',
      required: true
    },
    { kind: 'criterion', factor: 'F5', code: 'F5.2', text: 'Góp ý, phản ánh, kiến nghị dễ dàng', required: true },
    {
      kind: 'criterion',
      factor: 'F5',
      code: 'F5.3',
      text: 'Góp ý, phản ánh, kiến nghị được tiếp nhận, xử lý tích cực',
      required: true
    },
    { kind: 'criterion', factor: 'F5', code: 'F5.4', text: 'Kết quả xử lý được thông báo kịp thời', required: true },
    { kind: 'satisfaction', factor: 'F1', code: 'SAT.F1', text: 'Mức độ hài lòng chung về tiếp cận dịch vụ' },
    { kind: 'satisfaction', factor: 'F2', code: 'SAT.F2', text: 'Mức độ hài lòng chung về thủ tục hành chính' },
    { kind: 'satisfaction', factor: 'F3', code: 'SAT.F3', text: 'Mức độ hài lòng chung về công chức' },
    { kind: 'satisfaction', factor: 'F4', code: 'SAT.F4', text: 'Mức độ hài lòng chung về kết quả' },
    { kind: 'satisfaction', factor: 'F5', code: 'SAT.F5', text: 'Mức độ hài lòng chung về góp ý, phản ánh, kiến nghị' },
    { kind: 'satisfaction', code: 'SAT', text: 'Mức độ hài lòng chung về sự phục vụ hành chính' },
    {
      kind: 'perception',
      code: 'P.TRIPS',
      text: 'Phải đi lại không quá 2 lần để giải quyết hồ sơ',
      options: yesNo,
      positive: [1]
    },
    { kind: 'perception', code: 'P.ONTIME', text: 'Nhận kết quả đúng hẹn', options: yesNo, positive: [1] },
    {
      kind: 'perception',
      code: 'P.NOBRIBE',
      text: 'Không bị yêu cầu nộp thêm chi phí ngoài quy định',
      options: yesNo,
      positive: [1]
    },
    {
      kind: 'perception',
      code: 'P.APOLOGY',
      text: 'Được xin lỗi khi trả kết quả trễ hẹn (nếu trễ)',
      options: yesNo,
      positive: [1]
    },
    { kind: 'perception', code: 'P.ONLINE', text: 'Dịch vụ công trực tuyến dễ sử dụng', options: yesNo, positive: [1] },
    {
      kind: 'expectation',
      code: 'E.IMPROVE',
      text: 'Cơ quan cần ưu tiên cải thiện những nội dung nào? (chọn tối đa 3)',
      maxPicks: 3,
      options: [
        { value: 1, label: 'Mở rộng hình thức thông tin để tiếp cận dịch vụ' },
        { value: 2, label: 'Cải thiện cơ sở vật chất, trang thiết bị' },
        { value: 3, label: 'Công khai, minh bạch thủ tục hành chính' },
        { value: 4, label: 'Đơn giản hóa thủ tục hành chính' },
        { value: 5, label: 'Rút ngắn thời hạn giải quyết' },
        { value: 6, label: 'Cải thiện thái độ giao tiếp của công chức' },
        { value: 7, label: 'Nâng cao năng lực giải quyết công việc của công chức' },
        { value: 8, label: 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị tốt hơn' }
      ]
    },
    {
      kind: 'profile',
      code: 'GENDER',
      text: 'Giới tính',
      options: [
        { value: 1, label: 'Nam' },
        { value: 2, label: 'Nữ' },
        { value: 3, label: 'Khác' }
      ]
    },
    {
      kind: 'profile',
      code: 'AGE',
      text: 'Độ tuổi',
      options: [
        { value: 1, label: '18–25' },
        { value: 2, label: '26–35' },
        { value: 3, label: '36–45' },
        { value: 4, label: '46–60' },
        { value: 5, label: 'Trên 60' }
      ]
    },
    {
      kind: 'profile',
      code: 'EDU',
      text: 'Trình độ học vấn',
      options: [
        { value: 1, label: 'Tiểu học' },
        { value: 2, label: 'Trung học cơ sở' },
        { value: 3, label: 'Trung học phổ thông' },
        { value: 4, label: 'Cao đẳng, đại học' },
        { value: 5, label: 'Sau đại học' }
      ]
    },
    {
      kind: 'profile',
      code: 'JOB',
      text: 'Nghề nghiệp',
      options: [
        { value: 1, label: 'Công chức, viên chức' },
        { value: 2, label: 'Doanh nhân, người kinh doanh' },
        { value: 3, label: 'Nông dân' },
        { value: 4, label: 'Công nhân' },
        { value: 5, label: 'Khác' }
      ]
    },
    {
      kind: 'profile',
      code: 'ETHNIC',
      text: 'Dân tộc',
      options: [
        { value: 1, label: 'Kinh' },
        { value: 2, label: 'Khác' }
      ]
    },
    {
      kind: 'profile',
      code: 'CHANNEL',
      text: 'Hình thức nộp hồ sơ',
      options: [
        { value: 1, label: 'Trực tiếp' },
        { value: 2, label: 'Trực tuyến' },
        { value: 3, label: 'Bưu chính' },
        { value: 4, label: 'Điện thoại' }
      ]
    }
  ]
}
